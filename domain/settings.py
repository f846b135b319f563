"""One typed settings object, read from environment variables prefixed PATHWAYS_."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, HttpUrl, SecretStr
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
    llm_api_key: SecretStr | None = Field(None, description="Key for the model endpoint.")
    llm_model: str | None = Field(None, description="Model name at the endpoint.")
    llm_timeout_s: float = Field(10.0, gt=0, le=120, description="Timeout of one model call, in seconds.")
    llm_max_calls_per_turn: int = Field(3, ge=0, le=20, description="Model calls allowed in one turn.")
    llm_max_tokens_per_turn: int = Field(8000, ge=0, description="Tokens (prompt + reply) allowed in one turn.")
    chroma_url: HttpUrl | None = Field(None, description="Chroma server; unset = embedded store on disk.")
    database_url: str | None = Field(None, description="PostgreSQL URL for sessions; unset = SQLite on disk.")
    host: str = Field("127.0.0.1", description="Server bind address.")
    port: int = Field(8000, ge=1, le=65535, description="Server port.")
    workers: int = Field(1, ge=1, le=64, description="API worker processes (`pathways serve`).")
    secret_key: SecretStr | None = Field(
        None, description="Signs session tokens; unset = a random key kept in the state dir (one machine only)."
    )
    admin_api_key: SecretStr | None = Field(None, description="Key for the admin endpoints; unset = they are off.")
    cors_origins: list[str] = Field(
        default_factory=list, description='Origins allowed to call the API from a browser, e.g. ["https://lcamp.eu"].'
    )
    rate_limit_ip: int = Field(600, ge=1, description="API requests per minute per client address.")
    rate_limit_session: int = Field(120, ge=1, description="Turns per minute per session.")
    rate_limit_exempt: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Client addresses without the per-address limit (behind a proxy the client is the forwarded one).",
    )
    scripted_quiz_answers: bool = Field(
        True,
        description="Accept the quiz answers `correct`/`wrong` of dialogue scripts (they confirm or fail the claimed "
        "levels without answering); set false on a public deployment so that only answered quizzes verify levels.",
    )
    max_upload_mb: int = Field(10, ge=1, le=100, description="Largest accepted upload, in MB.")
    sqlite_busy_timeout_s: float = Field(
        5.0,
        gt=0,
        le=600,
        description="How long a turn waits for an SQLite session file locked by another writer before it fails "
        "(the API answers 503 with Retry-After).",
    )
    session_retention_days: int = Field(
        30, ge=0, description="Sessions idle for longer than this are erased (`pathways sessions purge`); 0 = never."
    )

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
    def extraction_scorer_path(self) -> Path:
        return self.data_dir / "extraction" / "scorer.json"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embeddings" / "passages.npz"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
