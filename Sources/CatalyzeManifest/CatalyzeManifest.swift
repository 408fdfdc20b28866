/// Namespace marker for the CatalyzeManifest module; real types live beside this file.
public enum CatalyzeManifestModule {}
