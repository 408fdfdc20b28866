/// Namespace marker for the CatalyzeAWS module; real types live beside this file.
public enum CatalyzeAWSModule {}
