"""HTTP API, widget assets and the `pathways` command line."""
