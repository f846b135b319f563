"""The shipped micro-credential catalogue: invented, marked so, and readable in six languages."""

from domain.languages import LANGS


def test_every_shipped_credential_is_marked_invented_and_has_six_languages(catalogue):
    for cred in catalogue.credentials.values():
        assert cred.illustrative and not cred.url, cred.id
        assert cred.provider.endswith("(fictional)"), cred.id
        assert set(cred.titles) == set(LANGS) and set(cred.summaries) == set(LANGS), cred.id
        assert all(text.strip() for text in (*cred.titles.values(), *cred.summaries.values())), cred.id
