/// Namespace marker for the CatalyzeRackspace module; real types live beside this file.
public enum CatalyzeRackspaceModule {}
