"""One typed settings object, read from environment variables prefixed PATHWAYS_."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting has a working embedded default; none needs a key."""

    model_config = SettingsConfigDict(env_prefix="PATHWAYS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(PROJECT_ROOT / "data", description="Committed knowledge base and catalogue.")
    state_dir: Path = Field(
        PROJECT_ROOT / ".pathways", description="Local indexes and session database (created on first run)."
    )
    esco_dir: Path = Field(
        PROJECT_ROOT.parent / "shared" / "data" / "esco",
        description="ESCO CSV export; read only by `pathways kb build`.",
    )
    default_language: str = Field("en", pattern="^(en|es|fr|it|tr|sl)$", description="Language before detection.")
    log_level: str = Field("INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$", description="Logging level.")
    llm_base_url: HttpUrl | None = Field(None, description="OpenAI-compatible endpoint; unset = no model.")
    llm_api_key: str | None = Field(None, description="Key for the model endpoint.")
    llm_model: str | None = Field(None, description="Model name at the endpoint.")
    chroma_url: HttpUrl | None = Field(None, description="Chroma server; unset = embedded store on disk.")
    database_url: str | None = Field(None, description="PostgreSQL URL for sessions; unset = SQLite on disk.")
    host: str = Field("127.0.0.1", description="Server bind address.")
    port: int = Field(8000, ge=1, le=65535, description="Server port.")

    @property
    def kb_path(self) -> Path:
        return self.data_dir / "kb" / "knowledge_base.json.gz"

    @property
    def catalogue_dir(self) -> Path:
        return self.data_dir / "catalogue"

    @property
    def aliases_path(self) -> Path:
        return self.data_dir / "aliases.yaml"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embeddings" / "passages.npz"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
