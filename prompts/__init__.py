"""Reply texts and model prompts, one folder per language (prompts/<lang>/*.yaml)."""
