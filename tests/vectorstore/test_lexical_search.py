from vectorstore.documents import IndexDoc
from vectorstore.lexical import LexicalIndex, analyze

LABELS = [
    ("en", "operate forklift"),
    ("en", "weld pipes"),
    ("en", "weld steel frames"),
    ("es", "soldar tuberías"),
    ("en", "read engineering drawings"),
    ("fr", "lire des plans"),
    ("en", "forklift"),
    ("en", "welding"),
]


def index() -> LexicalIndex:
    return LexicalIndex(
        [IndexDoc(id=str(n), key=f"s{n}", lang=lang, field="label", text=text) for n, (lang, text) in enumerate(LABELS)]
    )


def test_search_ranks_only_entries_sharing_a_stem_best_first():
    found = index().search_many(["I weld pipes and drive a forklift", "nothing relevant here", ""], "en", k=3)
    texts = [doc.text for doc, _ in found[0]]
    assert len(texts) == 3 and "weld pipes" in texts
    assert [score for _, score in found[0]] == sorted((score for _, score in found[0]), reverse=True)
    assert all(score > 0 for _, score in found[0])
    assert found[1] == [] and found[2] == []


def test_search_agrees_with_the_full_bm25_ranking():
    lexical = index()
    text = "Sueldo tuberías y leo planos"
    query = lexical._query(text, "es")
    ids, scores = lexical._retriever.retrieve([query], k=len(LABELS), show_progress=False, n_threads=0)
    expected = {lexical.docs[int(d)].id for d, s in zip(ids[0], scores[0]) if s > 0}
    assert {doc.id for doc, _ in lexical.search(text, "es", k=len(LABELS))} == expected


def test_rare_stems_weigh_more_than_common_ones():
    idf = index().idf
    assert idf["pipe"] > idf["weld"] > 0  # "weld" is in three entries, "pipe" in one
    assert set(idf) >= {"forklift", "oper", "sold"}


def test_slovenian_inflections_of_short_words_meet():
    assert analyze("vitke proizvodnje", "sl") == analyze("vitka proizvodnja", "sl")
    assert analyze("strojih", "sl") == analyze("stroj", "sl") == analyze("stroji", "sl")
    assert analyze("okvare", "sl") == analyze("okvar", "sl")
    assert analyze("vez", "sl") == ["vez"]  # never cut below three letters
    assert analyze("varim", "sl") != analyze("vitka", "sl")
