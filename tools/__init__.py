"""Deterministic tools: pure functions over domain models, usable without the agent."""
