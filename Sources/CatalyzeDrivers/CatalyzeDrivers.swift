/// Namespace marker for the CatalyzeDrivers module; real types live beside this file.
public enum CatalyzeDriversModule {}
