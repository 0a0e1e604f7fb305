"""How long the import wizard takes, file chosen to done, at 100,000 customers (issue 12), beside
a raw SQLite baseline measured in the same run.

    .venv/bin/python bench/bench_import.py [--store DIR] [--runs 1] [--case cards csv]
        [--cards 4700] [--rows 100000] [--decision skip] [--cprofile STEP]

Uses (building it once into --store, like bench_window.py) a demo store of --customers
customers, and writes two files into a temporary folder:

1. `cards.vcf`: --cards business cards (vCard 3.0, UTF-8): a Chinese name, a company (ORG,
   several people of the same company as at a trade fair), one to three TEL, an EMAIL, an ADR on
   some. About 15% share something with the store (read from it): a stored contact's mobile in
   another spelling, a stored contact's email, a stored person at his stored company (its name
   as the ORG), or a stored customer's phone; about 5% repeat an earlier card of the file.
   Imported as contacts: the aim is < 10 s, wizard to done.
2. `customers.csv`: --rows customers, GBK as Excel on mainland Windows saves it, headed
   客户名称,手机,邮箱,地址,行业, names and phones distinct, about 2% with a stored customer's
   phone in another spelling. Imported as customers: the aim is < 30 s.

Each run of a case copies the store into a fresh profile and goes through the wizard's own
steps (transfer/staging.py, what its pages run on the storage thread): `open_file`,
`mapping_for`, `stage` (every row checked and looked up among the store's records, nothing
written), `run` with --decision for every row that looks like a duplicate (the wizard's default
is to skip it), then `undo`, which is timed but not part of "wizard to done". The pages'
drawing (the preview of every row) is not measured.

The baselines: the file read and parsed with the csv module (the cards: decoded and split into
lines), and the rows the wizard imported written by one `executemany` INSERT into a table with
no index in a new SQLite file beside the profiles (WAL, synchronous=NORMAL, as the store), so
the figures can be set against what the disk and SQLite themselves take. The process's peak
memory (max RSS) is printed last. Timings are printed, never asserted; the machine's load is
printed beside each run, as other work on it changes the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # crm_desktop from this checkout

from crm_desktop.demo import words  # noqa: E402
from crm_desktop.duplicates.records import MAX_SHARED  # noqa: E402
from crm_desktop.profile import open_profile  # noqa: E402
from crm_desktop.storage.store import STORE_FILE  # noqa: E402
from crm_desktop.transfer import staging  # noqa: E402
from crm_desktop.transfer.staging import Decision  # noqa: E402

STEPS = ("open", "mapping", "stage", "run", "undo")
WIZARD_STEPS = ("open", "mapping", "stage", "run")  # "wizard to done"; undo is after it
AIMS = {"cards": 10.0, "csv": 30.0}
CSV_HEADER = ("客户名称", "手机", "邮箱", "地址", "行业")
SHARED_CARDS = 0.15  # cards sharing something with the store
REPEATED_CARDS = 0.05  # cards repeating an earlier one of the file
SHARED_PHONES = 0.02  # CSV rows with a stored customer's phone
PEOPLE_PER_COMPANY = 2.5  # cards of one new company, on average
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151")
MOBILE_PREFIXES += ("152", "155", "156", "158", "159", "176", "177", "186", "187", "188")
# Trade names of the new companies, of characters none of the demo's company names has (its
# brands and trades), so that a new company is like a stored one only where this bench says.
TRADE_CHARACTERS = (
    "亚佳俊凤凌励勤卫君坤培基奇奥威婷宇宁宸屹岚峰崇帆希康弘彤徽志恩悦扬捷敏斐晋晟景智"
    "曜朗杰松柯栋森楷欧毅沁泓洁浩涛淳清澜灵炫烨煜熙燕琪琳璟瑜皓盈睿硕祥福秀竹素维羽翔"
)
# What the new companies do, none of the demo's trades either.
LINES = ("光学", "陶瓷", "纸业", "酒业", "茶业", "乐器", "文具", "玩具", "化工", "五金")
DEPARTMENTS = ("", "", "", "销售部", "采购部", "市场部", "技术部")


# -- the store --------------------------------------------------------------------------------


@dataclass
class Stored:
    """What the files borrow from the store, and what they must not repeat by chance."""

    contact_mobiles: list[str]  # a stored contact's mobile, no other contact's
    contact_emails: list[str]  # a stored contact's email, shared by few enough to count
    people: list[tuple[str, str]]  # (company, person): a contact of a uniquely named company
    customers: list[tuple[str, str]]  # (company or "", phone) of stored customers
    customer_phones: list[str]  # stored customers' phones
    taken: set[str] = field(default_factory=set)  # every stored number, as digits


def ensure_store(directory: Path, customers: int) -> None:
    if (directory / STORE_FILE).exists():
        return
    demo = [sys.executable, "-m", "crm_desktop", "--profile", str(directory), "demo"]
    subprocess.run([*demo, "--customers", str(customers)], check=True)


def read_stored(path: Path) -> Stored:
    """Samples of the store's live customers and contacts (read only)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        customer_rows = connection.execute(
            "SELECT id, name, kind, phone, phone2 FROM customers WHERE deleted_at IS NULL"
        ).fetchall()
        contact_rows = connection.execute(
            "SELECT t.name, t.mobile, t.phone, t.email, t.customer_id FROM contacts t"
            " JOIN customers c ON c.id = t.customer_id"
            " WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL"
        ).fetchall()
    finally:
        connection.close()
    names = Counter(name for _, name, kind, _, _ in customer_rows if kind == "company")
    unique_company = {
        customer_id: name
        for customer_id, name, kind, _, _ in customer_rows
        if kind == "company" and names[name] == 1
    }
    mobiles = Counter(mobile for _, mobile, _, _, _ in contact_rows if mobile)
    emails = Counter(email.lower() for _, _, _, email, _ in contact_rows if email)
    taken = {digits(number) for row in customer_rows for number in row[3:5] if number} | {
        digits(number) for row in contact_rows for number in row[1:3] if number
    }
    return Stored(
        contact_mobiles=sorted(mobile for mobile, count in mobiles.items() if count == 1),
        contact_emails=sorted(email for email, count in emails.items() if count <= MAX_SHARED),
        people=sorted(
            (unique_company[customer_id], name)
            for name, _, _, _, customer_id in contact_rows
            if customer_id in unique_company and name
        ),
        customers=sorted(
            (unique_company.get(customer_id, ""), phone)
            for customer_id, _, kind, phone, _ in customer_rows
            if kind == "company" and phone
        ),
        customer_phones=sorted(phone for _, _, _, phone, _ in customer_rows if phone),
        taken=taken,
    )


def digits(number: str) -> str:
    """A stored number's national digits (+8613800138000 → 13800138000, +8675588881234 →
    075588881234)."""
    national = number.split(";")[0].removeprefix("+86")
    return national if national.startswith("1") else "0" + national


def respelled(number: str, rng: random.Random) -> str:
    """A stored number as another list writes it: 138 0013 8000, +86-138-0013-8000,
    0755-8888 1234."""
    national = digits(number)
    if national.startswith("1"):
        head, middle, tail = national[:3], national[3:7], national[7:]
        return rng.choice((f"{head} {middle} {tail}", f"+86-{head}-{middle}-{tail}", national))
    area = 3 if national[1] in "12" else 4  # 010, 020…029 are the two-digit area codes
    return f"{national[:area]}-{national[area:]}"


# -- the files --------------------------------------------------------------------------------


class Maker:
    """New people, companies and numbers, none of them the store's."""

    def __init__(self, rng: random.Random, stored: Stored) -> None:
        self.rng = rng
        self.used_numbers = set(stored.taken)
        self.used_stems: set[str] = set()
        self.serial = 0

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def landline(self, city: tuple) -> str:
        while True:
            local = f"{self.rng.randrange(2, 8)}{self.rng.randrange(10**7):07d}"
            number = f"0{city[3]}{local}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return f"0{city[3]}-{local}"

    def company(self) -> tuple[str, tuple, str]:
        """(name, city, mail domain) of a new company: 深圳市晟琳瑜光学有限公司."""
        city = self.rng.choice(words.CITIES)
        while True:
            trade = "".join(self.rng.choices(TRADE_CHARACTERS, k=3))
            stem = trade + self.rng.choice(LINES)
            if stem not in self.used_stems:
                self.used_stems.add(stem)
                break
        self.serial += 1
        name = f"{city[1]}{stem}{self.rng.choice(words.COMPANY_FORMS)}"
        return name, city, f"firm{self.serial}.com.cn"

    def address(self, city: tuple) -> tuple[str, str, str]:
        """(street, district, the one-line address) in `city`."""
        street = f"{self.rng.choice(words.ROADS)}{self.rng.randrange(1, 3000)}号"
        district = self.rng.choice(city[4])
        return street, district, f"{city[0]}{city[1]}{district}{street}"

    def person(self) -> tuple[str, str]:
        """(name, the start of an email): 王伟, wang.wei."""
        surname, surname_pinyin = self.rng.choice(words.SURNAMES)
        given = self.rng.sample(words.GIVEN_NAMES, self.rng.choice((1, 2, 2)))
        name = surname + "".join(char for char, _ in given)
        return name, f"{surname_pinyin}.{''.join(pinyin for _, pinyin in given)}"


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def card_text(card: dict[str, Any]) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{card['name'][0]};{card['name'][1:]};;;"]
    lines.append(f"FN:{card['name']}")
    organisation = escaped(card["company"])
    if card["department"]:
        organisation += f";{card['department']}"
    lines += [f"ORG:{organisation}", f"TITLE:{escaped(card['title'])}"]
    lines += [f"TEL;TYPE={kind}:{number}" for kind, number in card["phones"]]
    if card["email"]:
        lines.append(f"EMAIL;TYPE=INTERNET:{card['email']}")
    if card["address"]:
        street, district, city = card["address"]
        lines.append(f"ADR;TYPE=WORK:;;{street};{city[1]}{district};{city[0]};;中国")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def write_cards(path: Path, count: int, stored: Stored, maker: Maker) -> dict[str, int]:
    """The cards file; returns how many cards were made of each kind."""
    rng = maker.rng
    kinds = Counter()
    companies: list[tuple[str, tuple, str]] = []
    cards: list[dict[str, Any]] = []
    repeats = round(count * REPEATED_CARDS)
    mobiles = rng.sample(stored.contact_mobiles, min(count, len(stored.contact_mobiles)))
    emails = rng.sample(stored.contact_emails, min(count, len(stored.contact_emails)))
    people = rng.sample(stored.people, min(count, len(stored.people)))
    customers = rng.sample(stored.customers, min(count, len(stored.customers)))
    for at in range(count - repeats):
        if not companies or rng.random() < 1 / PEOPLE_PER_COMPANY:
            companies.append(maker.company())
        company, city, domain = rng.choice(companies[-20:])  # a fair's neighbouring stands
        name, mail = maker.person()
        card = {
            "name": name,
            "company": company,
            "department": rng.choice(DEPARTMENTS),
            "title": rng.choice(words.CHINESE.job_titles),
            "phones": [("CELL", maker.mobile())],
            "email": f"{mail}{at}@{domain}",
            "address": (*maker.address(city)[:2], city) if rng.random() < 0.4 else None,
        }
        if rng.random() < 0.5:
            card["phones"].append(("WORK,VOICE", maker.landline(city)))
        if rng.random() < 0.2:
            card["phones"].append(("CELL", maker.mobile()))
        kind = "new"
        if rng.random() < SHARED_CARDS:
            pick = rng.random()
            if pick < 0.4 and mobiles:
                kind = "a stored contact's mobile"
                card["phones"][0] = ("CELL", respelled(mobiles.pop(), rng))
            elif pick < 0.6 and emails:
                kind = "a stored contact's email"
                card["email"] = emails.pop().upper()
            elif pick < 0.85 and people:
                kind = "a stored person at his stored company"
                card["company"], card["name"] = people.pop()
                card["address"] = None
            elif customers:
                kind = "a stored customer's phone"
                stored_company, phone = customers.pop()
                card["company"] = stored_company or card["company"]
                card["phones"].append(("WORK,VOICE", respelled(phone, rng)))
        kinds[kind] += 1
        cards.append(card)
    for _ in range(repeats):
        # The same card handed out twice, its mobile (when plain digits) written with spaces.
        at = rng.randrange(len(cards))
        again = dict(cards[at], phones=list(cards[at]["phones"]))
        kind, number = again["phones"][0]
        if number.isdigit():
            again["phones"][0] = (kind, f"{number[:3]} {number[3:7]} {number[7:]}")
        cards.insert(rng.randrange(at + 1, len(cards) + 1), again)
        kinds["a repeat of an earlier card"] += 1
    path.write_text("".join(card_text(card) for card in cards), encoding="utf-8", newline="")
    return dict(kinds)


def write_customers(path: Path, count: int, stored: Stored, maker: Maker) -> dict[str, int]:
    """The customers CSV (GBK); returns how many rows were made of each kind."""
    rng = maker.rng
    industries = [industry for _, industry, _ in words.TRADES]
    phones = rng.sample(stored.customer_phones, round(count * SHARED_PHONES))
    shared = set(rng.sample(range(count), len(phones)))
    kinds = Counter()
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for at in range(count):
            name, city, domain = maker.company()
            if at in shared:
                phone = respelled(phones.pop(), rng)
                kinds["a stored customer's phone"] += 1
            else:
                phone = maker.mobile() if rng.random() < 0.8 else maker.landline(city)
                kinds["new"] += 1
            email = f"sales@{domain}" if rng.random() < 0.7 else ""
            industry = rng.choice(industries) if rng.random() < 0.8 else ""
            writer.writerow((name, phone, email, maker.address(city)[2], industry))
    return dict(kinds)


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Case:
    key: str  # "cards" or "csv"
    entity: str
    path: Path
    made: dict[str, int]


@dataclass
class Result:
    seconds: dict[str, float]
    rows: int
    flagged: int
    problems: int
    added: int
    updated: int
    skipped: int
    customers_created: int
    live_before: int
    live_after_undo: int
    raw_read: float
    raw_insert: float
    load: float
    max_rss_mb: float
    profile: str = ""


def live_count(path: Path, entity: str) -> int:
    connection = sqlite3.connect(path)
    try:
        sql = f"SELECT count(*) FROM {entity} WHERE deleted_at IS NULL"
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def wizard(case: Case, store: Path, work: Path, decision: Decision, profiled: str | None) -> Result:
    """One import of the case's file into a fresh copy of the store, step by step."""
    directory = work / f"profile-{case.key}"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    shutil.copy(store / STORE_FILE, directory / STORE_FILE)
    wal = store / (STORE_FILE + "-wal")
    if wal.exists() and wal.stat().st_size:
        shutil.copy(wal, directory / wal.name)  # not checkpointed yet: part of the store
    profile = open_profile(directory)
    seconds: dict[str, float] = {}
    profiler = cProfile.Profile()

    def step(name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        if name == profiled:
            profiler.enable()
        try:
            return work()
        finally:
            if name == profiled:
                profiler.disable()
            seconds[name] = time.perf_counter() - started

    try:
        writer = profile.writer()
        before = live_count(profile.store.path, case.entity)
        load = os.getloadavg()[0]
        opened = step("open", lambda: staging.open_file(case.path))
        table = opened.table
        chosen = step("mapping", lambda: staging.mapping_for(writer, case.entity, table.header))
        problem = staging.mapping_problem(case.entity, table.header, chosen.columns)
        unmapped = [table.header[at] for at, target in chosen.columns.items() if target is None]
        if problem or unmapped:
            raise SystemExit(f"{case.path.name}: the mapping is not whole: {problem} {unmapped}")
        staged = step(
            "stage",
            lambda: staging.stage(writer, case.entity, table, chosen.columns, profile.region),
        )
        flagged = staged.duplicate_rows()
        for row in flagged:
            staged.decide(row.line, decision)
        step("run", lambda: staging.run(writer, staged, case.path.name, lambda _d, _t: None))
        outcome = staged.outcome
        assert outcome is not None
        step("undo", lambda: staging.undo(writer, outcome))
        after_undo = live_count(profile.store.path, case.entity)
    finally:
        profile.close()
        shutil.rmtree(directory, ignore_errors=True)
    raw_read, raw_insert = baseline(case, table.rows, work)
    text = ""
    if profiled:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(15)
        text = stream.getvalue()
    return Result(
        seconds,
        rows=len(table.rows),
        flagged=len(flagged),
        problems=len(staged.problem_rows()),
        added=outcome.added,
        updated=outcome.updated,
        skipped=len(outcome.skipped),
        customers_created=outcome.customers_created,
        live_before=before,
        live_after_undo=after_undo,
        raw_read=raw_read,
        raw_insert=raw_insert,
        load=load,
        max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        profile=text,
    )


def baseline(case: Case, rows: list[tuple[int, list[str]]], work: Path) -> tuple[float, float]:
    """(seconds to read the file plainly, seconds to INSERT its rows into a bare table)."""
    started = time.perf_counter()
    data = case.path.read_bytes()
    if case.key == "csv":
        read = list(csv.reader(io.StringIO(data.decode("gb18030"), newline="")))
    else:
        read = data.decode("utf-8").splitlines()
    raw_read = time.perf_counter() - started
    assert read
    path = work / f"baseline-{case.key}.sqlite3"
    path.unlink(missing_ok=True)
    width = len(rows[0][1])
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        columns = ", ".join(f"c{at} TEXT" for at in range(width))
        connection.execute(f"CREATE TABLE bare (line INTEGER, {columns})")
        marks = ", ".join("?" * (width + 1))
        started = time.perf_counter()
        connection.executemany(f"INSERT INTO bare VALUES ({marks})", ([n, *c] for n, c in rows))
        connection.commit()
        raw_insert = time.perf_counter() - started
    finally:
        connection.close()
        for leftover in work.glob(f"baseline-{case.key}.sqlite3*"):
            leftover.unlink()
    return raw_read, raw_insert


def print_table(results: list[tuple[Case, int, Result]]) -> None:
    print(
        "| case | run | load | open | mapping | stage | run | wizard to done (aim) | undo |"
        " raw read | raw INSERT | max RSS so far |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for case, number, result in results:
        s = result.seconds
        total = sum(s[name] for name in WIZARD_STEPS)
        share = max(WIZARD_STEPS, key=lambda name: s[name])
        print(
            f"| {case.key} ({result.rows:,} rows) | {number} | {result.load:.1f} |"
            f" {s['open']:.2f} s | {s['mapping']:.2f} s | {s['stage']:.2f} s |"
            f" {s['run']:.2f} s | **{total:.2f} s** (< {AIMS[case.key]:.0f} s;"
            f" {share} {s[share] / total:.0%}) | {s['undo']:.2f} s | {result.raw_read:.2f} s |"
            f" {result.raw_insert:.2f} s | {result.max_rss_mb:.0f} MB |"
        )


def describe(case: Case, result: Result, decision: Decision) -> str:
    made = ", ".join(f"{count:,} {kind}" for kind, count in sorted(case.made.items()))
    created = f" (+{result.customers_created:,} customers)" if result.customers_created else ""
    return (
        f"{case.key}: made {made}. The check flagged {result.flagged:,} rows as duplicates"
        f" ({decision.value}) and {result.problems:,} with problems; the run added"
        f" {result.added:,}{created}, updated {result.updated:,}, skipped {result.skipped:,};"
        f" live {case.entity} {result.live_before:,} before, {result.live_after_undo:,}"
        " after the undo."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000, help="the demo store's size")
    parser.add_argument("--store", type=Path, help="where the demo store is kept (made once)")
    parser.add_argument("--cards", type=int, default=4700)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the customers CSV")
    parser.add_argument("--runs", type=int, default=1, help="runs of each case")
    parser.add_argument("--case", nargs="+", choices=("cards", "csv"), default=["cards", "csv"])
    parser.add_argument(
        "--decision",
        choices=[decision.value for decision in Decision],
        default=Decision.SKIP.value,
        help="for every row that looks like a duplicate (the wizard's default: skip)",
    )
    parser.add_argument(
        "--cprofile",
        choices=STEPS,
        help="profile this step in each case's first run and print its top 15 (slows it)",
    )
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    store = args.store or Path(tempfile.gettempdir()) / f"crm-bench-import-{args.customers}"
    ensure_store(store, args.customers)
    decision = Decision(args.decision)
    work = Path(tempfile.mkdtemp(prefix="crm-bench-import-"))
    try:
        rng = random.Random(args.seed)
        started = time.perf_counter()
        stored = read_stored(store / STORE_FILE)
        maker = Maker(rng, stored)
        cases = []
        if "cards" in args.case:
            path = work / "cards.vcf"
            cases.append(
                Case("cards", "contacts", path, write_cards(path, args.cards, stored, maker))
            )
        if "csv" in args.case:
            path = work / "customers.csv"
            made = write_customers(path, args.rows, stored, maker)
            cases.append(Case("csv", "customers", path, made))
        sizes = ", ".join(
            f"{case.path.name} {case.path.stat().st_size / 2**20:.1f} MB" for case in cases
        )
        print(
            f"store: {store / STORE_FILE} ({(store / STORE_FILE).stat().st_size / 2**30:.2f} GB);"
            f" files made in {time.perf_counter() - started:.1f} s: {sizes}"
        )
        print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}\n")
        results = []
        for number in range(1, args.runs + 1):
            for case in cases:
                profiled = args.cprofile if number == 1 else None
                results.append((case, number, wizard(case, store, work, decision, profiled)))
        print_table(results)
        print()
        for case in cases:
            last = next(result for c, _, result in reversed(results) if c is case)
            print(describe(case, last, decision))
        for case, number, result in results:
            if result.profile:
                print(f"\n{case.key}, run {number}: {args.cprofile}, top 15 by cumulative time")
                print(result.profile)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
