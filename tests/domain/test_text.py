from domain.text import fold, tokens


def test_fold_is_case_and_accent_insensitive():
    assert fold("Robótica") == "robotica"
    assert fold("İmalat") == "imalat"
    assert fold("ışık") == "isik"
    assert fold("Varjenje ČŠŽ") == "varjenje csz"


def test_tokens_keep_technical_symbols():
    assert tokens("C++ and C#, PLC-S7") == ["c++", "and", "c#", "plc", "s7"]
