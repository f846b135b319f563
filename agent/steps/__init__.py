"""One module per journey step: each proposes, then reads the person's reply."""
