"""`pathways` command line: one entry point, one sub-command per task."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel

from domain.logs import configure_logging
from domain.settings import get_settings

Handler = Callable[[argparse.Namespace], int]


def _emit(args: argparse.Namespace, result: BaseModel, lines: Sequence[str]) -> None:
    """A command's result: its JSON with `--json`, else the lines of text."""
    print(result.model_dump_json() if args.json else "\n".join(lines))


def _kb_build(args: argparse.Namespace) -> int:
    from kbbuilder.build import build_knowledge_base, write_knowledge_base

    settings = get_settings()
    kb = build_knowledge_base(esco_dir=args.esco_dir or settings.esco_dir, curated_dir=settings.data_dir / "curated")
    digest = write_knowledge_base(kb, settings.kb_path)
    print(
        f"wrote {settings.kb_path} ({len(kb.job_profiles)} job profiles, {len(kb.skills)} skills, sha256 {digest[:12]})"
    )
    return 0


def _kb_stats(args: argparse.Namespace) -> int:
    from domain.knowledge_base import load_timed

    loaded = load_timed(get_settings().kb_path)
    stats = loaded.kb.stats() | {"load_seconds": round(loaded.seconds, 3)}
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    print(f"ESCO v{stats['esco_version']} knowledge base — loaded in {stats['load_seconds']:.2f} s")
    print(f"job profiles: {stats['job_profiles']} (with successors: {stats['profiles_with_successors']})")
    print("per EQF level: " + ", ".join(f"EQF {k}: {v}" for k, v in stats["profiles_per_eqf"].items()))
    print("per sector: " + ", ".join(f"{k}: {v}" for k, v in stats["profiles_per_sector"].items()))
    print(f"skills: {stats['skills']} in {stats['skill_groups']} groups")
    print("skill labels per language: " + ", ".join(f"{k}: {v}" for k, v in stats["skill_labels_per_language"].items()))
    print("job titles per language: " + ", ".join(f"{k}: {v}" for k, v in stats["job_titles_per_language"].items()))
    print(f"interest areas: {stats['interest_areas']}")
    return 0


def _kb_check(args: argparse.Namespace) -> int:
    from domain.knowledge_base import get_knowledge_base
    from kbbuilder.quality import check_curated_labels

    results = check_curated_labels(get_knowledge_base())
    if args.json:
        print(
            json.dumps(
                [r.model_dump() | {"detection_rate": r.detection_rate, "passed": r.passed} for r in results],
                ensure_ascii=False,
            )
        )
    for r in results if not args.json else ():
        print(
            f"{r.lang}: {r.curated_labels} curated labels, empty {r.empty}, "
            f"language detected {r.detected_right}/{r.checked_for_language} = {r.detection_rate:.1%} "
            f"(labels of 3+ words), same as English {r.same_as_english} (untranslated {len(r.untranslated)}), "
            f"missing: top skills {r.missing_top_skills}, job titles {r.missing_job_titles} "
            f"-> {'PASS' if r.passed else 'FAIL'}"
        )
    return 0 if all(r.passed for r in results) else 1


def _index_build(args: argparse.Namespace) -> int:
    from domain.catalogue import get_catalogue
    from domain.knowledge_base import get_knowledge_base
    from vectorstore.retrieval import Retrieval

    settings = get_settings()
    kb = get_knowledge_base()
    retrieval = Retrieval(kb=kb, catalogue=get_catalogue(kb), settings=settings, force=args.force)
    for report in retrieval.reports:
        state = "built" if report.rebuilt else "up to date"
        print(f"{report.name}: {report.entries} entries, {state} in {report.seconds:.1f} s")
    if args.update_cache:
        from agent.context import area_passages

        retrieval.embedder.passages([text for _, text in area_passages(kb)])
    if args.update_cache and retrieval.embedder.cache.dirty:
        retrieval.embedder.cache.save()
        print(f"embedding cache written: {settings.embedding_cache_path}")
    return 0


def _index_bench(args: argparse.Namespace) -> int:
    from evals.benchmarks import retrieval

    result = retrieval.run(settings=get_settings(), n_queries=args.queries, fresh=not args.reuse)
    _emit(
        args,
        result,
        [
            f"index build (first start): {result.build_seconds:.1f} s; load (later start): {result.load_seconds:.1f} s",
            "entries: " + ", ".join(f"{k} {v}" for k, v in result.entries.items()),
            f"hybrid skill search over {result.queries} queries: p50 {result.hybrid_ms_p50} ms, "
            f"p95 {result.hybrid_ms_p95} ms",
            f"lexical index alone: p50 {result.lexical_ms_p50} ms, p95 {result.lexical_ms_p95} ms",
            "vector recall of the exact nearest entries: "
            + ", ".join(f"{k} {v:.1%}" for k, v in result.vector_recall.items()),
            f"resident memory after load: {result.rss_mb_after_load} MB",
        ],
    )
    return 0


def _bench_tools(args: argparse.Namespace) -> int:
    from evals.benchmarks import tools

    result = tools.run(learners=args.learners)
    _emit(
        args,
        result,
        [
            f"{result.learners} learners against {result.job_profiles} job profiles",
            f"match all profiles: p50 {result.match_all_ms_p50} ms, p95 {result.match_all_ms_p95} ms (target < 20 ms)",
            f"gap analysis: p50 {result.gaps_ms_p50} ms, p95 {result.gaps_ms_p95} ms",
            f"pathway planning: p50 {result.plan_ms_p50} ms, p95 {result.plan_ms_p95} ms (target < 50 ms), "
            f"{result.plan_steps_mean} steps on average, {result.plan_ects_median} ECTS (median)",
            f"pathways close {result.essential_closed_median:.0%} of the target job's essential gaps (median); "
            f"{result.essential_closed_at_least_80:.0%} of learners get at least 80%",
        ],
    )
    return 0


def _bench_http(args: argparse.Namespace) -> int:
    from evals.benchmarks import http

    result = http.run(url=args.url, rounds=args.rounds)
    _emit(
        args,
        result,
        [
            f"{result.journeys} journeys, {result.turns} turns over HTTP at {result.url}",
            f"first streamed chunk: p50 {result.first_chunk_ms_p50} ms, p95 {result.first_chunk_ms_p95} ms",
            f"whole streamed reply: p50 {result.streamed_reply_ms_p50} ms, p95 {result.streamed_reply_ms_p95} ms",
            f"plain JSON reply: p50 {result.json_reply_ms_p50} ms, p95 {result.json_reply_ms_p95} ms",
        ],
    )
    return 0


def _bench_turns(args: argparse.Namespace) -> int:
    from evals.benchmarks import turns

    result = turns.run(rounds=args.rounds)
    _emit(
        args,
        result,
        [
            f"{result.journeys} journeys, {result.turns} turns (deterministic engine)",
            f"turn latency without extraction: p50 {result.turn_ms_p50} ms, p95 {result.turn_ms_p95} ms, "
            f"max {result.turn_ms_max} ms",
            f"turns that extract skills from text: p50 {result.extraction_turn_ms_p50} ms",
        ],
    )
    return 0


def _bench_all(args: argparse.Namespace) -> int:
    from evals.benchmarks import suite

    result = suite.run(
        repeats=args.repeats,
        with_build=args.with_build,
        with_memory=not args.no_memory,
        progress=lambda text: print(f"... {text}", file=sys.stderr, flush=True),
    )
    print(json.dumps(result.flat()) if args.json else suite.render(result))
    return 0


def _load(args: argparse.Namespace) -> int:
    from evals import load

    try:
        levels = tuple(int(n) for n in args.concurrency.split(","))
        if args.url:
            load.require_loopback(args.url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = load.run(
        url=args.url,
        levels=levels,
        turns=args.turns_per_session,
        sessions=args.sessions,
        think_ms=args.think_ms,
        workers=args.workers,
    )
    _emit(
        args,
        report,
        [
            f"{report.server} at {report.url}; {report.turns_per_session} turns per session, "
            f"think {report.think_ms} ms",
            "concurrency sessions  turns  turns/s   p50 ms   p95 ms   p99 ms errors",
            *(
                f"{r.concurrency:>11} {r.sessions_completed:>8} {r.turns:>6} {r.turns_per_s:>8.1f} "
                f"{r.turn_ms_p50:>8.1f} {r.turn_ms_p95:>8.1f} {r.turn_ms_p99:>8.1f} {r.errors}"
                + (f" ({r.first_error})" if r.errors else "")
                for r in report.levels
            ),
        ],
    )
    return 0 if all(level.errors == 0 for level in report.levels) else 1


def _search(args: argparse.Namespace) -> int:
    from vectorstore.retrieval import get_retrieval

    retrieval = get_retrieval()
    lang = args.lang or _detected_language(args.text)
    if args.kind == "skills":
        results = retrieval.search_skills(args.text, lang, k=args.k)
    elif args.kind == "jobs":
        results = retrieval.search_jobs(args.text, lang, k=args.k, eqf=args.eqf, sector=args.sector)
    else:
        results = retrieval.search_credentials(
            args.text, lang, k=args.k, eqf=args.eqf, mode=args.mode, country=args.country
        )
    if args.json:
        print(json.dumps([r.model_dump(exclude_none=True) for r in results], ensure_ascii=False))
        return 0
    for rank, r in enumerate(results, 1):
        print(f"{rank:2}. {r.score:.4f}  {r.label}  <{r.uri or r.id}>")
    return 0


def _detected_language(text: str) -> str:
    from domain.language_id import detect_language

    return detect_language(text) or get_settings().default_language


def _eval_skills(args: argparse.Namespace) -> int:
    from evals import skill_eval
    from tools.extraction import SkillExtractor
    from vectorstore.retrieval import get_retrieval

    try:
        report = skill_eval.run(extractor=SkillExtractor(get_retrieval()), path=args.data, k=args.k)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    skill_eval.print_report(report)
    if args.out:
        skill_eval.write_report(report, args.out)
    return 0


def _eval_tune_skills(args: argparse.Namespace) -> int:
    from evals import skill_tuning
    from tools.extraction import SkillExtractor
    from vectorstore.retrieval import get_retrieval

    try:
        report = skill_tuning.tune(
            extractor=SkillExtractor(get_retrieval()), paths=args.data, folds=args.folds, repeats=args.repeats
        )
    except ModuleNotFoundError as exc:
        print(f"error: {exc.name} is needed to fit the scorer: pip install -e '.[tune]'", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    skill_tuning.print_report(report)
    skill_tuning.write_model(report, args.out)
    print(f"scorer written: {args.out}")
    return 0


def _catalogue_stats(args: argparse.Namespace) -> int:
    from domain.catalogue import ILLUSTRATIVE_NOTICE, get_catalogue
    from domain.knowledge_base import get_knowledge_base
    from tools.coverage import catalogue_stats

    kb = get_knowledge_base()
    stats = catalogue_stats(kb, get_catalogue(kb))
    _emit(
        args,
        stats,
        [
            ILLUSTRATIVE_NOTICE,
            f"credentials: {stats.credentials}; skills taught: {stats.skills_taught}",
            "per EQF level: " + ", ".join(f"EQF {k}: {v}" for k, v in stats.per_eqf.items()),
            "per mode: " + ", ".join(f"{k}: {v}" for k, v in stats.per_mode.items()),
            "per country: " + ", ".join(f"{k}: {v}" for k, v in stats.per_country.items()),
            "per language of instruction: " + ", ".join(f"{k}: {v}" for k, v in stats.per_language.items()),
            "(job profile, essential skill) pairs whose skill a credential teaches: "
            f"{stats.essential_pair_coverage:.1%} "
            f"(at the required level: {stats.essential_pair_coverage_at_level:.1%})",
            f"profiles whose every essential gap a pathway can close: {stats.profiles_fully_coverable} of "
            f"{stats.profiles}",
        ],
    )
    return 0


def _catalogue_import(args: argparse.Namespace) -> int:
    from domain.catalogue import get_catalogue
    from domain.knowledge_base import get_knowledge_base
    from tools.importers import ImportError_
    from tools.importers.service import import_credentials

    kb = get_knowledge_base()
    try:
        credentials, target = import_credentials(
            raw=args.file.read_bytes(),
            format=args.format,
            name=args.file.name,
            kb=kb,
            catalogue=get_catalogue(kb),
            catalogue_dir=get_settings().catalogue_dir,
            dry_run=args.dry_run,
        )
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except ImportError_ as exc:
        print(f"error: nothing imported from {args.file}; {len(exc.issues)} problem(s):", file=sys.stderr)
        for issue in exc.issues:
            print(f"  {issue.where}: {issue.message}", file=sys.stderr)
        return 1
    for cred in credentials:
        print(
            f"{cred.id}: {cred.titles['en']} — EQF {cred.eqf}, {cred.ects:g} ECTS, "
            f"{len(cred.learning_outcomes)} learning outcome(s), {len(cred.skills)} ESCO skill(s)"
        )
    if target is not None:
        print(f"imported {len(credentials)} credential(s) into {target}")
    return 0


def _catalogue_export(args: argparse.Namespace) -> int:
    from domain.catalogue import get_catalogue
    from domain.knowledge_base import get_knowledge_base
    from tools.importers.csv_catalogue import write_catalogue_csv

    text = write_catalogue_csv(list(get_catalogue(get_knowledge_base()).credentials.values()))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _quiz_sample(args: argparse.Namespace) -> int:
    from domain.knowledge_base import get_knowledge_base
    from tools.quiz import Claim, generate_quiz, load_bank

    settings = get_settings()
    kb = get_knowledge_base()
    bank = load_bank(settings.data_dir / "quiz")
    uris = [_resolve_skill(kb, s) for s in args.skills] if args.skills else sorted(bank.skills)[:4]
    claims = [Claim(skill_uri=u, level=args.level) for u in uris]
    quiz = generate_quiz(kb=kb, bank=bank, claims=claims, language=args.lang, seed=args.seed, max_items=args.items)
    for n, item in enumerate(quiz.items, 1):
        print(f"{n}. [{kb.skills[item.skill_uri].label(args.lang)} — {item.kind.value}, level {item.level}]")
        print(f"   {item.question}")
        for i, option in enumerate(item.options):
            mark = "*" if item.correct == i else " "
            print(f"   {mark} {chr(65 + i)}) {option}")
    return 0


def _quiz_check(args: argparse.Namespace) -> int:
    from domain.knowledge_base import get_knowledge_base
    from tools.quiz import load_bank
    from tools.quiz_quality import check_bank

    quality = check_bank(load_bank(get_settings().data_dir / "quiz"), get_knowledge_base())
    print(
        quality.model_dump_json(indent=1)
        if args.json
        else f"{quality.questions} questions for {quality.skills} skills, "
        f"{quality.skill_levels_with_two_questions} skill x level pairs with 2+ questions, per language "
        f"{quality.items_per_language}\ncorrect position share {quality.correct_position_share}; correct option "
        f"is the longest in {quality.longest_is_correct_share:.1%}\nlanguage detected {quality.detection_rate}\n"
        f"unknown URIs: {quality.unknown_uris or 'none'} -> {'PASS' if quality.passed else 'FAIL'}"
    )
    return 0 if quality.passed else 1


def _resolve_skill(kb, name: str) -> str:
    if name in kb.skills:
        return name
    by_label = {s.label("en").casefold(): uri for uri, s in kb.skills.items()}
    if name.casefold() not in by_label:
        raise SystemExit(f"error: no skill labelled {name!r}")
    return by_label[name.casefold()]


def _eval_dialogues(args: argparse.Namespace) -> int:
    from evals.dialogue_runner import http_runner, in_process_runner, load_scripts

    runner, cleanup = http_runner(args.url) if args.url else in_process_runner()
    results = []
    try:
        for _ in range(args.repeat):
            for path, script in load_scripts(args.paths):
                result = runner.run(path, script)
                results.append(result)
                print(f"PASS {result.id}" if result.passed else f"FAIL {result.id}: {result.error}", flush=True)
    finally:
        cleanup()
    passed = sum(r.passed for r in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    if args.out:
        args.out.write_text(json.dumps([r.model_dump() for r in results], indent=1), encoding="utf-8")
    return 0 if passed == len(results) else 1


def _chat(args: argparse.Namespace) -> int:
    from api.terminal_chat import run_chat

    return run_chat(language=args.lang)


# How long an idle connection stays open. People pause between turns; with uvicorn's 5 s, a turn sent about 5 s
# after the last one could meet the server closing that connection ("connection reset", seen under load).
KEEP_ALIVE_S = 75


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    workers = args.workers or settings.workers
    print(f"LCAMP Pathways on http://{host}:{port}/ (demo page), API docs at /docs, {workers} worker(s)", flush=True)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    return 0


def _sessions_purge(args: argparse.Namespace) -> int:
    from agent.retention import purge_idle
    from agent.service import Agent

    days = get_settings().session_retention_days if args.days is None else args.days
    if days <= 0:
        print("retention is off (PATHWAYS_SESSION_RETENTION_DAYS=0): no session erased")
        return 0
    agent = Agent()
    try:
        purged = purge_idle(agent, days)
    finally:
        close = getattr(agent, "close", None)
        if close is not None:
            close()
    print(f"erased {len(purged)} session(s) idle for more than {days} day(s)")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from api.kb_browser import run_browser

    return run_browser(lang=args.lang)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathways", description="LCAMP Pathways — career guidance for advanced manufacturing."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    kb = sub.add_parser("kb", help="knowledge base").add_subparsers(dest="kb_command", required=True)
    build = kb.add_parser("build", help="build data/kb from an ESCO CSV export and data/curated")
    build.add_argument("--esco-dir", type=Path, default=None, help="ESCO export (default: PATHWAYS_ESCO_DIR)")
    build.set_defaults(handler=_kb_build)
    stats = kb.add_parser("stats", help="counts per EQF level, sector and language; load time")
    stats.add_argument("--json", action="store_true", help="one JSON object")
    stats.set_defaults(handler=_kb_stats)
    check = kb.add_parser("check", help="quality check of the curated it/sl/tr labels")
    check.add_argument("--json", action="store_true", help="one JSON list")
    check.set_defaults(handler=_kb_check)

    index = sub.add_parser("index", help="search indexes").add_subparsers(dest="index_command", required=True)
    ibuild = index.add_parser("build", help="build or load the Chroma and lexical indexes")
    ibuild.add_argument("--force", action="store_true", help="rebuild even when up to date")
    ibuild.add_argument("--update-cache", action="store_true", help="write new embeddings to data/embeddings")
    ibuild.set_defaults(handler=_index_build)

    ibench = index.add_parser("bench", help="build/load time, query latency p50/p95, memory")
    ibench.add_argument("--queries", type=int, default=1000)
    ibench.add_argument("--reuse", action="store_true", help="use the configured state dir, not a fresh one")
    ibench.add_argument("--json", action="store_true")
    ibench.set_defaults(handler=_index_bench)

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="bench_command", required=True)
    bturns = bench.add_parser("turns", help="time per deterministic turn over full journeys in six languages")
    bturns.add_argument("--rounds", type=int, default=1)
    bturns.add_argument("--json", action="store_true")
    bturns.set_defaults(handler=_bench_turns)
    btools = bench.add_parser("tools", help="time of matching all job profiles, gap analysis, pathway planning")
    btools.add_argument("--learners", type=int, default=100)
    btools.add_argument("--json", action="store_true")
    btools.set_defaults(handler=_bench_tools)
    bhttp = bench.add_parser("http", help="time to first streamed chunk and to the whole reply, over HTTP")
    bhttp.add_argument("--url", default=None, help="a running server (default: one started in this process)")
    bhttp.add_argument("--rounds", type=int, default=1)
    bhttp.add_argument("--json", action="store_true")
    bhttp.set_defaults(handler=_bench_http)
    ball = bench.add_parser("all", help="every benchmark in one run, with min/median/max over repeats, and memory")
    ball.add_argument("--repeats", type=int, default=3)
    ball.add_argument("--with-build", action="store_true", help="also time an index build in a fresh state dir")
    ball.add_argument("--no-memory", action="store_true", help="skip the API process memory over 200 journeys")
    ball.add_argument("--json", action="store_true", help="one JSON object (medians by name, spreads, memory)")
    ball.set_defaults(handler=_bench_all)

    load = sub.add_parser("load", help="concurrent complete journeys against the HTTP API (loopback only)")
    load.add_argument("--url", default=None, help="a running server on loopback (default: one started here)")
    load.add_argument("--concurrency", default="1,10,50,100", help="comma-separated levels (default 1,10,50,100)")
    load.add_argument("--turns-per-session", type=int, default=None, help="default: the whole journey (11)")
    load.add_argument("--sessions", type=int, default=None, help="sessions per level (default: max(level, 20))")
    load.add_argument("--think-ms", type=int, default=0, help="pause of each person between turns")
    load.add_argument("--workers", type=int, default=2, help="workers of the server started here")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_load)

    search = sub.add_parser("search", help="the search the agent uses")
    search.add_argument("kind", choices=["skills", "jobs", "credentials"])
    search.add_argument("text")
    search.add_argument(
        "--lang",
        choices=["en", "es", "fr", "it", "tr", "sl"],
        default=None,
        help="language of TEXT (default: detected)",
    )
    search.add_argument("--k", type=int, default=10)
    search.add_argument("--eqf", type=int, choices=range(1, 9), default=None)
    search.add_argument("--sector", default=None)
    search.add_argument("--mode", choices=["online", "hybrid", "in-person"], default=None)
    search.add_argument("--country", default=None)
    search.add_argument("--json", action="store_true", help="a JSON list, best first")
    search.set_defaults(handler=_search)

    evals = sub.add_parser("eval", help="evaluations").add_subparsers(dest="eval_command", required=True)
    eskills = evals.add_parser("skills", help="score the skill extractor on a JSONL file (specs/skill-eval.md)")
    eskills.add_argument("--data", type=Path, required=True)
    eskills.add_argument("--k", type=int, default=5)
    eskills.add_argument("--out", type=Path, default=None)
    eskills.set_defaults(handler=_eval_skills)
    etune = evals.add_parser(
        "tune-skills", help="fit the extraction scorer on labelled JSONL files, with cross-validated figures"
    )
    etune.add_argument("--data", type=Path, action="append", required=True, help="a labelled file (repeatable)")
    etune.add_argument("--folds", type=int, default=5)
    etune.add_argument("--repeats", type=int, default=3, help="cross-validation splits averaged (each its own seed)")
    etune.add_argument("--out", type=Path, default=get_settings().extraction_scorer_path)
    etune.set_defaults(handler=_eval_tune_skills)

    catalogue = sub.add_parser("catalogue", help="micro-credential catalogue").add_subparsers(
        dest="catalogue_command", required=True
    )
    cstats = catalogue.add_parser("stats", help="counts and coverage of the job profiles' essential skills")
    cstats.add_argument("--json", action="store_true")
    cstats.set_defaults(handler=_catalogue_stats)

    cimport = catalogue.add_parser("import", help="import credentials (all or nothing)")
    cimport.add_argument(
        "format", choices=["csv", "elm", "badge"], help="catalogue CSV, ELM/EDC JSON-LD, Open Badges 3.0"
    )
    cimport.add_argument("file", type=Path)
    cimport.add_argument("--dry-run", action="store_true", help="check and show, write nothing")
    cimport.set_defaults(handler=_catalogue_import)
    cexport = catalogue.add_parser("export-csv", help="the catalogue as CSV (the import format)")
    cexport.add_argument("--out", type=Path, default=None)
    cexport.set_defaults(handler=_catalogue_export)

    quiz = sub.add_parser("quiz", help="verification quiz").add_subparsers(dest="quiz_command", required=True)
    qsample = quiz.add_parser("sample", help="print a sample quiz (correct options marked *)")
    qsample.add_argument("--lang", choices=["en", "es", "fr", "it", "tr", "sl"], default="en")
    qsample.add_argument("--skills", nargs="*", default=None, help="ESCO URIs or English labels")
    qsample.add_argument("--level", type=int, choices=[1, 2, 3, 4], default=2)
    qsample.add_argument("--items", type=int, default=8)
    qsample.add_argument("--seed", type=int, default=0)
    qsample.set_defaults(handler=_quiz_sample)
    qcheck = quiz.add_parser("check", help="bank size and quality figures")
    qcheck.add_argument("--json", action="store_true")
    qcheck.set_defaults(handler=_quiz_check)

    edialogues = evals.add_parser("dialogues", help="replay dialogue scripts (specs/dialogue-scripts.md)")
    edialogues.add_argument("paths", nargs="+", type=Path)
    edialogues.add_argument("--url", default=None, help="drive a running server through its HTTP API")
    edialogues.add_argument("--repeat", type=int, default=1)
    edialogues.add_argument("--out", type=Path, default=None)
    edialogues.set_defaults(handler=_eval_dialogues)

    chat = sub.add_parser("chat", help="terminal chat with the agent (/upload PATH, /back, /profile, /quit)")
    chat.add_argument("--lang", choices=["en", "es", "fr", "it", "tr", "sl"], default=None)
    chat.set_defaults(handler=_chat)

    serve = sub.add_parser("serve", help="the HTTP API, the chat widget and its demo page")
    serve.add_argument("--host", default=None, help="bind address (default: PATHWAYS_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default: PATHWAYS_PORT)")
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: PATHWAYS_WORKERS)")
    serve.set_defaults(handler=_serve)

    sessions = sub.add_parser("sessions", help="stored sessions").add_subparsers(dest="sessions_command", required=True)
    spurge = sessions.add_parser("purge", help="erase sessions idle for longer than the retention period")
    spurge.add_argument(
        "--days", type=int, default=None, help="idle days (default: PATHWAYS_SESSION_RETENTION_DAYS; 0 = none)"
    )
    spurge.set_defaults(handler=_sessions_purge)

    demo = sub.add_parser("demo", help="terminal browser of job profiles and career paths")
    demo.add_argument("--lang", default=None, choices=["en", "es", "fr", "it", "tr", "sl"])
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(get_settings().log_level)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
