/// Namespace marker for the CatalyzeExecutor module; real types live beside this file.
public enum CatalyzeExecutorModule {}
