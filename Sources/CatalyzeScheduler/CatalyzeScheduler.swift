/// Namespace marker for the CatalyzeScheduler module; real types live beside this file.
public enum CatalyzeSchedulerModule {}
