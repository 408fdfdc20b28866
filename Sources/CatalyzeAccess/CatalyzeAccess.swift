/// Namespace marker for the CatalyzeAccess module; real types live beside this file.
public enum CatalyzeAccessModule {}
