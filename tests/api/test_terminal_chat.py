from api.terminal_chat import run_chat


def test_terminal_chat_runs_a_few_turns_and_quits(agent, tmp_path):
    cv = tmp_path / "cv.txt"
    cv.write_text("I weld steel frames with MIG and read engineering drawings.", encoding="utf-8")
    inputs = iter(["I like welding", "yes", f"/upload {cv}", "/profile", "/back", "/upload /no/such/file", "/quit"])
    out: list[str] = []
    assert run_chat(language="en", read=lambda _: next(inputs), write=out.append, agent=agent) == 0
    text = "\n".join(out)
    assert "[1/10" in text and "cv.txt" in text and "/no/such/file" in text
