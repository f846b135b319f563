"""Domain layer: typed models, settings and the knowledge-base loader. Imports nothing of ours."""
