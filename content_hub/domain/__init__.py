"""Domain: frozen msgspec Structs, enums and errors shared by every layer."""
