"""The read side: one immutable published generation (delivery and render
state together), its follower, the render service, sticky buckets, the
GrowthBook payload and the exposure recorder. See ARCHITECTURE.md."""
