"""The chat widget in a real browser (Chromium via Playwright) against the live server: a whole journey in
Spanish, resuming after a reload, the keyboard alone, and a phone-sized screen under hostile host-page CSS.

Screenshots of every step go to test-artifacts/screenshots/<test>/; the widget may make no external request."""

from __future__ import annotations

import json
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
WIDGET = ROOT / "api" / "static" / "widget.js"
STORE_KEY = "lcamp-pathways:v1"
TURN_MS = 60_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CV_ES = (
    "Operario de montaje en una planta de automoción desde 2016. Leo planos técnicos, compruebo medidas con "
    "calibre, hago mantenimiento básico de máquinas y controlo la calidad de las piezas.\n"
)
ENGLISH_WORDS = re.compile(r"\b(the|and|your|you|with|what|which|please|skills?|level|here|would)\b", re.I)
SPANISH_MARKS = re.compile(r"[áéíóúñ¿¡]|\b(de|del|la|el|los|las|tu|tus|que|y|en|un|una|con|para|por|nivel)\b", re.I)


def ui_strings(lang: str) -> dict[str, str]:
    """The widget's UI strings for one language, read from widget.js itself."""
    source = WIDGET.read_text(encoding="utf-8")
    block = re.search(rf"\n    {lang}: \{{(.*?)\n    \}}", source, re.S).group(1)
    return dict(re.findall(r'"?([\w-]+)"?: "((?:[^"\\]|\\.)*)"', block))


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail(
            f"Chromium is required for the widget browser tests but {executable} does not exist: "
            "install the Debian package `chromium` (do not use `playwright install`)."
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Pages in a fresh context (empty localStorage) that can reach only the live server."""
    contexts, blocked, errors = [], [], []

    def route(r):
        if r.request.url.startswith(live_server + "/"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    def make(**options) -> Page:
        options = {"viewport": {"width": 1280, "height": 860}, "reduced_motion": "reduce"} | options
        context = browser.new_context(**options)
        context.set_default_timeout(TURN_MS)
        context.route("**/*", route)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not blocked, f"the page tried external requests: {blocked}"
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def shot(request):
    """shot(page, "step") saves test-artifacts/screenshots/<test>/NN-step.png."""
    folder = SHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    count = [0]

    def take(page: Page, step: str) -> None:
        count[0] += 1
        page.screenshot(path=str(folder / f"{count[0]:02d}-{step}.png"))

    return take


def wait_turn(page: Page, step: str, pending: str | None = None) -> None:
    """Wait until the widget is idle on `step` (and `pending` kind), whatever the route there."""
    page.wait_for_function(
        """([step, pending]) => {
            const p = document.querySelector('lcamp-pathways')?.shadowRoot.querySelector('[data-testid=panel]');
            return p && p.dataset.busy === 'false' && p.dataset.step === step
                && (!pending || p.dataset.pending === pending);
        }""",
        arg=[step, pending],
        timeout=TURN_MS,
    )


def advance(page: Page, testid: str, step: str, pending: str) -> None:
    """Press the first `testid` button and wait for the next turn."""
    page.get_by_test_id(testid).first.click()
    wait_turn(page, step, pending)


def assistant_texts(page: Page) -> list[str]:
    return page.get_by_test_id("msg-assistant").all_inner_texts()


def active_testid(page: Page) -> str | None:
    return page.evaluate("() => document.querySelector('lcamp-pathways').shadowRoot.activeElement?.dataset.testid")


def stored(page: Page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem({STORE_KEY!r})") or "{}")


def server_turn(base: str, page: Page) -> dict:
    """The session's current turn from the API, with the session and token the widget stored."""
    data = stored(page)
    req = urllib.request.Request(
        f"{base}/api/sessions/{data['session_id']}", headers={"Authorization": f"Bearer {data['token']}"}
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)["turn"]


def open_widget(page: Page, base: str) -> None:
    page.goto(base + "/")
    advance(page, "launcher", "interests", "confirm_interests")


def check_spanish_ui(page: Page) -> None:
    """Every widget button says a Spanish UI string; no English-only UI string shows in the widget's chrome."""
    es, en = ui_strings("es"), ui_strings("en")
    texts = [t.strip() for t in page.locator("lcamp-pathways button, lcamp-pathways label.btn").all_inner_texts()]
    foreign = [t for t in texts if t not in ("", "×") and t not in es.values()]
    assert not foreign, f"buttons not in Spanish: {foreign}"
    widget_text = " ".join(
        page.locator("lcamp-pathways")
        .locator("[data-testid=controls], [data-testid=progress], .tools, .head")
        .all_inner_texts()
    )
    only_en = set(en.values()) - set(es.values())
    english_only = [s for s in only_en if "{" not in s and re.search(rf"\b{re.escape(s)}\b", widget_text)]
    assert not english_only, f"English UI strings shown: {english_only}"


def test_full_journey_in_spanish_with_an_upload_and_an_edit(new_page, live_server, shot, tmp_path):
    page = new_page()
    page.goto(f"{live_server}/?lang=es")
    assert page.get_by_test_id("launcher").get_attribute("aria-label") == ui_strings("es")["open"]
    shot(page, "closed")
    advance(page, "launcher", "interests", "confirm_interests")
    greeting = assistant_texts(page)[0]
    assert SPANISH_MARKS.search(greeting) and not ENGLISH_WORDS.search(greeting), greeting
    check_spanish_ui(page)
    shot(page, "interests")

    picked = ["assembly-production", "smart-maintenance"]
    for area in picked:
        page.locator(f'[data-testid=option][data-id="{area}"]').check()
    shot(page, "interests-ticked")
    advance(page, "confirm", "experience", "none")
    assert [i["id"] for i in server_turn(live_server, page)["profile"]["interests"]] == picked
    shot(page, "experience")

    cv = tmp_path / "cv-operario.txt"
    cv.write_text(CV_ES, encoding="utf-8")
    page.get_by_test_id("file").set_input_files(str(cv))
    wait_turn(page, "skills", "confirm_skills")
    assert page.get_by_test_id("msg-user").last.inner_text() == ui_strings("es")["fileSent"].replace("{name}", cv.name)
    options = page.get_by_test_id("option")
    proposed = options.evaluate_all("els => els.map(e => e.dataset.id)")
    assert len(proposed) >= 2 and all(options.nth(i).is_checked() for i in range(len(proposed)))
    check_spanish_ui(page)
    shot(page, "skills-proposed")

    removed = proposed[0]
    options.first.uncheck()
    page.get_by_test_id("add-input").fill("programación de PLC")
    page.get_by_test_id("add-button").click()
    assert page.locator("[data-testid=option][data-added]").evaluate_all("els => els.map(e => e.dataset.id)") == [
        "programación de PLC"
    ]
    shot(page, "skills-edited")
    advance(page, "confirm", "proficiency", "rate_proficiency")
    skills = {s["uri"]: s["label"] for s in server_turn(live_server, page)["profile"]["skills"]}
    added = [uri for uri in skills if uri not in proposed]
    assert removed not in skills and set(proposed[1:]) <= set(skills), skills
    assert len(added) == 1 and re.search(r"PLC|programable", skills[added[0]], re.I), skills
    rated = page.get_by_test_id("rate-item").evaluate_all("els => els.map(e => e.dataset.uri)")
    assert sorted(rated) == sorted(skills), "the levels asked for are not the confirmed skills"
    check_spanish_ui(page)
    shot(page, "proficiency")

    items = page.get_by_test_id("rate-item")
    for i in range(items.count()):
        items.nth(i).locator("input[type=radio]").nth(1 + i % 3).check()
    shot(page, "proficiency-rated")
    advance(page, "confirm", "quiz", "answer_quiz")
    quiz = page.get_by_test_id("quiz-item")
    assert quiz.count() > 0
    for i in range(quiz.count()):
        quiz.nth(i).locator("input[type=radio]").nth(i % 4).check()
    check_spanish_ui(page)
    shot(page, "quiz-answered")
    for testid, step, pending in [
        ("confirm", "report", "none"),
        ("next", "jobs", "choose_job"),
        ("choose-job", "gaps", "confirm_gaps"),
        ("confirm", "pathway", "confirm_pathway"),
        ("confirm", "done", "none"),
    ]:
        advance(page, testid, step, pending)
        if step in ("pathway", "done"):
            assert page.get_by_test_id("pathway-step").count() > 0, f"no pathway steps shown at {step}"
        if step == "jobs":
            assert page.get_by_test_id("choose-job").count() > 0
        check_spanish_ui(page)
        shot(page, step)

    texts = assistant_texts(page)
    assert len(texts) > 20
    english = [t for t in texts if ENGLISH_WORDS.search(t)]
    assert not english, f"English-looking assistant messages: {english}"
    unmarked = [t for t in texts if not SPANISH_MARKS.search(t)]
    assert len(unmarked) <= len(texts) // 10, f"messages that do not look Spanish: {unmarked}"


def test_session_resumes_after_reload(new_page, live_server, shot):
    page = new_page()
    open_widget(page, live_server)
    page.get_by_test_id("option").nth(1).check()
    advance(page, "confirm", "experience", "none")
    before = assistant_texts(page)
    session = stored(page).get("session_id")
    assert session, "the widget stored no session"
    shot(page, "before-reload")

    page.reload()
    if page.get_by_test_id("panel").is_hidden():
        page.get_by_test_id("launcher").click()
    wait_turn(page, "experience", "none")
    assert assistant_texts(page) == before
    assert stored(page)["session_id"] == session
    shot(page, "after-reload")

    page.get_by_test_id("input").fill("I maintain industrial robots and program PLCs on an automotive assembly line.")
    advance(page, "send", "skills", "confirm_skills")
    assert stored(page)["session_id"] == session
    assert assistant_texts(page)[: len(before)] == before and len(assistant_texts(page)) > len(before)
    shot(page, "continued")


def test_one_step_by_keyboard_alone(new_page, live_server, shot):
    page = new_page()
    page.goto(live_server + "/")

    def tab_to(testid: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if active_testid(page) == testid:
                return
        pytest.fail(f"Tab never reached {testid}")

    tab_to("launcher")
    shot(page, "launcher-focused")
    page.keyboard.press("Enter")
    wait_turn(page, "interests", "confirm_interests")
    assert active_testid(page) == "option", "focus should move to the first choice"
    page.keyboard.press("Space")
    assert page.get_by_test_id("option").first.is_checked()
    tab_to("confirm")
    shot(page, "interests-by-keyboard")
    page.keyboard.press("Enter")
    wait_turn(page, "experience", "none")
    if active_testid(page) != "input":
        tab_to("input")
    page.keyboard.type("I have assembled car doors since 2016 and do basic maintenance of the line's machines.")
    shot(page, "experience-typed")
    page.keyboard.press("Enter")
    wait_turn(page, "skills", "confirm_skills")
    assert page.get_by_test_id("msg-user").last.inner_text().startswith("I have assembled car doors")
    shot(page, "skills")

    page.keyboard.press("Escape")
    assert page.get_by_test_id("panel").is_hidden()
    assert page.get_by_test_id("launcher").get_attribute("aria-expanded") == "false"
    assert active_testid(page) == "launcher" and page.evaluate("document.activeElement.localName") == "lcamp-pathways"
    shot(page, "closed-by-escape")


def test_phone_sized_screen_and_host_styles_do_not_leak(new_page, live_server, shot):
    page = new_page(viewport={"width": 375, "height": 740})
    open_widget(page, live_server)
    shot(page, "phone-open")
    box = page.get_by_test_id("panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 740), box
    assert page.get_by_test_id("launcher").is_hidden(), "the launcher should hide behind a full-screen panel"
    scroll = page.locator("lcamp-pathways .scroll").evaluate("s => [s.scrollWidth, s.clientWidth]")
    assert scroll[0] <= scroll[1], f"the conversation scrolls sideways: {scroll}"

    style = "(el, props) => props.map(p => getComputedStyle(el)[p])"
    props = ["fontFamily", "backgroundColor", "borderTopStyle", "textTransform"]
    host = page.locator("main button").evaluate(style, props)
    assert "Georgia" in host[0] and host[1] == "rgb(255, 0, 0)", f"the demo's hostile CSS is not in effect: {host}"
    for testid in ("send", "confirm", "back"):
        font, background, border, _ = page.get_by_test_id(testid).evaluate(style, props)
        assert "Georgia" not in font and "system-ui" in font, (testid, font)
        assert background != "rgb(255, 0, 0)" and border != "dashed", (testid, background, border)
    assert page.get_by_test_id("input").evaluate(style, props)[1] == "rgb(255, 255, 255)"
    label = page.locator("lcamp-pathways label.chip").first.evaluate(style, props)
    assert label[3] == "none" and "Georgia" not in label[0], label

    page.get_by_test_id("option").first.check()
    advance(page, "confirm", "experience", "none")
    assert page.get_by_test_id("panel").bounding_box()["width"] == 375
    shot(page, "phone-experience")
