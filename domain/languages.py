"""The six first-class languages of the product."""

from typing import Literal, get_args

Lang = Literal["en", "es", "fr", "it", "tr", "sl"]
LANGS: tuple[Lang, ...] = get_args(Lang)
ESCO_LANGS: tuple[Lang, ...] = ("en", "fr", "es")
CURATED_LANGS: tuple[Lang, ...] = ("it", "sl", "tr")

LANGUAGE_NAMES: dict[Lang, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "tr": "Türkçe",
    "sl": "Slovenščina",
}
