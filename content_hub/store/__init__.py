"""Persistence: SQLModel tables behind repositories that return domain Structs."""
