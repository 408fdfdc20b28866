/// Namespace marker for the CatalyzePlanner module; real types live beside this file.
public enum CatalyzePlannerModule {}
