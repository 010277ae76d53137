"""The town: tile maps, their loaders and paths on them."""
