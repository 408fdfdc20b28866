/// Namespace marker for the CatalyzeState module; real types live beside this file.
public enum CatalyzeStateModule {}
