"""Use cases: one function per mutation, holding its checks; services never commit."""
