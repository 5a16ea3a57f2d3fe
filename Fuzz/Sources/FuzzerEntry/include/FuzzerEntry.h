// Nothing to import: this target only supplies the entry points SwiftPM links executables against.
