"""Session tokens: an HMAC of the session id, so any worker can check one without a shared token table."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from domain.settings import Settings


def signing_key(settings: Settings) -> bytes:
    """The configured secret, or a random one kept in the state dir (shared by the workers of one machine)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path: Path = settings.state_dir / "secret.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        draft = path.with_name(f"secret.{secrets.token_hex(4)}.tmp")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first worker's key wins, the others read it
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()


def session_token(key: bytes, session_id: str) -> str:
    return hmac.new(key, session_id.encode(), hashlib.sha256).hexdigest()


def token_matches(key: bytes, session_id: str, token: str) -> bool:
    return hmac.compare_digest(session_token(key, session_id), token)
