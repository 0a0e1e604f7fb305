"""The dashboard: the business in pictures for the user's own scope, a period, a grade and an
industry (what each figure means: queries/figures.py).

A rep sees his own records; a manager his team's, or one rep's; an administrator everyone's,
or one person's. All figures are read in one job on the storage thread and drawn when they
arrive, again after each write or sync that touches them. A click on a bar or slice asks the
window to open the list of the records behind it (`open_list`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.base import utcnow
from crm_desktop.models.choices import Grade, Role
from crm_desktop.profile import Profile
from crm_desktop.queries import figures
from crm_desktop.queries.figures import (
    PART_SOURCES,
    PARTS,
    DashboardAsk,
    Filters,
    OwnerCount,
    Period,
)
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.tables import NO_GRADE
from crm_desktop.queries.work_logs import Team
from crm_desktop.reports import ReportOptions
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.charts import HORIZONTAL, HORIZONTAL_STACKED, STACKED, ChartCard
from crm_desktop.views.display import choice_label, format_money
from crm_desktop.views.page import Page
from crm_desktop.views.pdf_export import PdfExport
from crm_desktop.views.runner import Runner

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
EVERYONE = ""  # the person chooser's value for the whole scope
MOST_OWNERS = 12  # owners drawn by name in a chart of owners; the rest add up to "Others"
OTHERS = "\x00others"  # the owner key of that last bar (it opens nothing)


def _month_label(month: date) -> str:
    return month.strftime("%Y-%m")


def _week_label(monday: date) -> str:
    return f"{monday.month}/{monday.day}"


class DashboardView(Page):
    first_drawn = Signal()  # the first chart of a reading is drawn
    shown = Signal()  # each time every chart has been read and drawn
    # A list to open: entity, its filters (queries.tables.ListQuery's), what it shows.
    open_list = Signal(str, object, str)

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("dashboardView", profile, runner, reader, writer, parent)
        self.team: Team | None = None
        self.ask: DashboardAsk | None = None  # what the charts show
        self.parts: dict[str, Any] = {}  # the figures read so far, by part (figures.PARTS)
        self._waiting: set[str] = set()  # the parts asked for and not yet drawn
        self._generation = 0

        self.period_choice = QComboBox()
        self.period_choice.setObjectName("dashboardPeriod")
        self.period_choice.setAccessibleName(self.tr("Period"))
        for key, text in (
            (MONTH, self.tr("This month")),
            (QUARTER, self.tr("This quarter")),
            (YEAR, self.tr("This year")),
            (RANGE, self.tr("From … to …")),
        ):
            self.period_choice.addItem(text, key)
        self.period_choice.setCurrentIndex(1)
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today.addMonths(-2))
        self.end_edit = QDateEdit(today)
        for edit, name in ((self.start_edit, "dashboardFrom"), (self.end_edit, "dashboardTo")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._range_changed)
        self.person_choice = QComboBox()
        self.person_choice.setObjectName("dashboardPerson")
        self.person_choice.setAccessibleName(self.tr("Whose records"))
        self.grade_choice = QComboBox()
        self.grade_choice.setObjectName("dashboardGrade")
        self.grade_choice.setAccessibleName(self.tr("Grade"))
        self.grade_choice.addItem(self.tr("Any grade"), "")
        for grade in Grade:
            self.grade_choice.addItem(choice_label(grade.value), grade.value)
        self.grade_choice.addItem(self.tr("No grade"), NO_GRADE)
        self.industry_choice = QComboBox()
        self.industry_choice.setObjectName("dashboardIndustry")
        self.industry_choice.setAccessibleName(self.tr("Industry"))
        self.industry_choice.addItem(self.tr("Any industry"), "")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(self.reload)
        self.pdf = PdfExport(writer, runner, self)
        self.pdf_button = self.pdf.button("dashboardPdf")
        self.pdf_button.setText(self.tr("Pipeline as PDF…"))
        self.pdf_button.setToolTip(
            self.tr("The open pipeline and the forecast for the period, as a PDF")
        )
        self.pdf_button.clicked.connect(self.export_pdf)
        self.status = QLabel()
        self.status.setObjectName("dashboardStatus")
        self.status.setStyleSheet("color: palette(mid);")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period:")))
        bar.addWidget(self.period_choice)
        bar.addWidget(self.start_edit)
        bar.addWidget(self.end_edit)
        bar.addSpacing(12)
        bar.addWidget(self.person_choice)
        bar.addWidget(self.grade_choice)
        bar.addWidget(self.industry_choice)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.pdf_button)

        self.cards: dict[str, ChartCard] = {}
        grid = QGridLayout()
        # Each chart: its key, its title, and what the list its bars open is called.
        charts_made = (
            ("pipeline", self.tr("Pipeline by stage (open opportunities)"), self.tr("Pipeline")),
            ("forecast", self.tr("Forecast by month of expected close"), self.tr("Forecast")),
            ("wonLost", self.tr("Won and lost per month"), self.tr("Won and lost")),
            (
                "grades",
                self.tr("Grade mix (customers; share of a year's payments)"),
                self.tr("Grade"),
            ),
            ("activity", self.tr("Activity per week"), self.tr("Activity")),
            ("people", self.tr("Activity per person in the period"), self.tr("Activity")),
            (
                "quiet",
                self.tr("Customers without a follow-up, by owner"),
                self.tr("Without a follow-up"),
            ),
            (
                "pool",
                self.tr("Returning to the public pool soon, by owner"),
                self.tr("Returning to the pool"),
            ),
            (
                "renewals",
                self.tr("Contracts ending per month, renewed or not"),
                self.tr("Contracts ending"),
            ),
            ("receivables", self.tr("Money overdue by owner"), self.tr("Money overdue")),
        )
        self.captions: dict[str, str] = {}
        for number, (key, title, caption) in enumerate(charts_made):
            card = ChartCard(f"{key}Chart", title)
            card.clicked.connect(partial(self._clicked, key))
            self.cards[key] = card
            self.captions[key] = caption
            grid.addWidget(card, number // 2, number % 2)
        for column in (0, 1):  # halves alike, whatever a chart's labels would ask for
            grid.setColumnStretch(column, 1)
        charts = QWidget()
        charts.setLayout(grid)
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)

        for chooser in (self.person_choice, self.grade_choice, self.industry_choice):
            chooser.currentIndexChanged.connect(lambda _index: self.reload())
        self.pdf.failed.connect(self.status.setText)
        self.period_choice.currentIndexChanged.connect(self._period_chosen)
        self._period_chosen()
        runner.changed.connect(self._changed)
        self._read_team()

    # -- what is counted ---------------------------------------------------------------------

    def period(self) -> Period:
        today = date.today()
        chosen = self.period_choice.currentData()
        if chosen == MONTH:
            return Period.month_of(today)
        if chosen == YEAR:
            return Period.year_of(today)
        if chosen == RANGE:
            start, end = self.start_edit.date().toPython(), self.end_edit.date().toPython()
            return Period(min(start, end), max(start, end))
        return Period.quarter_of(today)

    def _scope_owners(self) -> tuple[str, ...] | None:
        """Everyone the user may look at: None for all this device holds (an administrator's,
        or a computer never connected to a server, whose user owns everything on it)."""
        role = self.team.role if self.team is not None else None
        if role in (None, Role.ADMIN.value):
            return None
        if role == Role.MANAGER.value and self.team is not None:
            return tuple(user_id for user_id, _ in self.team.members)
        if role == Role.CLERK.value:
            return tuple(self._profile.scope().enters_for) or (self._profile.user_id,)
        return (self._profile.user_id,)

    def filters(self) -> Filters:
        person = self.person_choice.currentData()
        owners = (person,) if person else self._scope_owners()
        return Filters(
            owners=owners,
            grade=self.grade_choice.currentData() or None,
            industry=self.industry_choice.currentData() or None,
        )

    def people(self) -> list[tuple[str, str]]:
        """Whose activity is counted, in the chooser's order."""
        person = self.person_choice.currentData()
        members = list(self.team.members) if self.team else [(self._profile.user_id, "")]
        if person:
            return [m for m in members if m[0] == person] or [(person, "")]
        owners = self._scope_owners()
        if owners is None:
            # Everyone: those who left count too, for the work they did in the period.
            return members + list(self.team.departed if self.team else [])
        # A clerk owns nothing, but the work he enters for his reps is his activity.
        return [m for m in members if m[0] in owners or m[0] == self._profile.user_id]

    def export_pdf(self) -> None:
        """The pipeline report for the period and the people shown."""
        period, filters = self.period(), self.filters()
        options = ReportOptions(
            start=period.start,
            end=period.end,
            owner_ids=filters.owners,
            owners_chosen=bool(self.person_choice.currentData()),
            grade=filters.grade,
            industry=filters.industry,
        )
        self.pdf.ask("pipeline", options, self.tr("pipeline.pdf"))

    def _period_chosen(self) -> None:
        ranged = self.period_choice.currentData() == RANGE
        self.start_edit.setVisible(ranged)
        self.end_edit.setVisible(ranged)
        self.reload()

    def _range_changed(self) -> None:
        if self.period_choice.currentData() == RANGE:
            self.reload()

    # -- reading -----------------------------------------------------------------------------

    def _read_team(self) -> None:
        self._runner.submit(partial(self._reader.team_of, self._profile.user_id), self._team)
        self._runner.submit(self._reader.industries, self._industries)

    def _team(self, team: Team) -> None:
        self.team = team
        chosen = self.person_choice.currentData()
        self.person_choice.blockSignals(True)
        self.person_choice.clear()
        leads = team.role in (Role.ADMIN.value, Role.MANAGER.value, Role.CLERK.value)
        everyone = self.tr("Everyone") if team.role == Role.ADMIN.value else self.tr("My team")
        self.person_choice.addItem(everyone if leads else self.tr("Mine"), EVERYONE)
        if leads:
            for user_id, name in team.members:
                self.person_choice.addItem(name or user_id, user_id)
        self.person_choice.setCurrentIndex(max(0, self.person_choice.findData(chosen)))
        self.person_choice.setVisible(self.person_choice.count() > 1)
        self.person_choice.blockSignals(False)
        self.reload()

    def _industries(self, names: Sequence[str]) -> None:
        chosen = self.industry_choice.currentData()
        self.industry_choice.blockSignals(True)
        self.industry_choice.clear()
        self.industry_choice.addItem(self.tr("Any industry"), "")
        for name in names:
            self.industry_choice.addItem(name, name)
        self.industry_choice.setCurrentIndex(max(0, self.industry_choice.findData(chosen)))
        self.industry_choice.blockSignals(False)
        if self.industry_choice.currentData() != chosen and chosen is not None:
            # The industry chosen is no longer any customer's: the charts show "any" again,
            # as the chooser now says.
            self.reload()

    def reload(self, parts: Iterable[str] = PARTS) -> None:
        """Read these parts again (all of them when what is shown changed), each a job of its
        own: the cheap charts draw first."""
        if self.team is None:  # the team comes first: it says whose records count
            return
        ask = DashboardAsk(self.filters(), self.period(), tuple(self.people()), utcnow())
        before = self.ask
        if before is None or (ask.filters, ask.period, ask.people) != (
            before.filters,
            before.period,
            before.people,
        ):
            # Other records or another period: what is on its way is of no use any more.
            self._generation += 1
            self.parts = {}
            self._waiting = set()
            parts = PARTS
        self.ask = ask
        self.status.setText(self.tr("Reading…"))
        for part in parts:
            self._waiting.add(part)
            self._runner.submit(
                partial(self._reader.dashboard_part, ask, part),
                partial(self._part_arrived, self._generation, part),
            )

    def _changed(self, changes: ChangeSet) -> None:
        touched = changes.entities()
        if "users" in touched or changes.reload:
            self._read_team()
        elif self.isVisible():
            self.reload([part for part in PARTS if PART_SOURCES[part] & touched])

    def showEvent(self, event: Any) -> None:  # Qt override
        super().showEvent(event)
        if self.ask is not None:
            self.reload()  # changes made while away

    def _part_arrived(self, generation: int, part: str, figures_read: Any) -> None:
        if generation != self._generation:
            return
        first = not self.parts
        self.parts[part] = figures_read
        self._waiting.discard(part)
        draw = {
            "pipeline": self._draw_pipeline,
            "forecast": self._draw_forecast,
            "won_lost": self._draw_won_lost,
            "grades": self._draw_grades,
            "activity": self._draw_activity,
            "quiet": self._draw_quiet,
            "pool_returns": self._draw_pool,
            "renewals": self._draw_renewals,
            "receivables": self._draw_receivables,
        }
        draw[part](figures_read)
        if first:
            self.first_drawn.emit()
        if not self._waiting and self.ask is not None:
            period = self.ask.period
            self.status.setText(
                self.tr("{start} to {end}").format(
                    start=period.start.isoformat(), end=period.end.isoformat()
                )
            )
            self.shown.emit()

    # -- drawing -----------------------------------------------------------------------------

    def _draw_pipeline(self, pipeline: list[figures.StageFigure]) -> None:
        # Lead at the top, as a funnel reads: a horizontal bar chart lists bottom up.
        stages = list(reversed(pipeline))
        self.cards["pipeline"].show_bars(
            [f"{choice_label(s.stage)} ({s.count})" for s in stages],
            [
                ("amount", self.tr("Amount"), [s.amount for s in stages]),
                (
                    "weighted",
                    self.tr("Weighted by probability"),
                    [s.weighted for s in stages],
                ),
            ],
            HORIZONTAL,
            money=True,
        )
        total = sum(s.amount for s in pipeline)
        weighted = sum(s.weighted for s in pipeline)
        count = sum(s.count for s in pipeline)
        self.cards["pipeline"].set_note(
            self.tr("%n open opportunities: {amount}, weighted {weighted}.", "", count).format(
                amount=format_money(total), weighted=format_money(weighted)
            )
        )

    def _draw_forecast(self, months: list[figures.MonthFigure]) -> None:
        self.cards["forecast"].show_bars(
            [_month_label(m.month) for m in months],
            [
                ("amount", self.tr("Amount"), [m.amount for m in months]),
                (
                    "weighted",
                    self.tr("Weighted by probability"),
                    [m.weighted for m in months],
                ),
            ],
            money=True,
        )
        self.cards["forecast"].set_note(
            self.tr("Weighted forecast for the period: {weighted}.").format(
                weighted=format_money(sum(m.weighted for m in months))
            )
        )

    def _draw_won_lost(
        self, read: tuple[list[figures.WonLostMonth], list[tuple[str, int]]]
    ) -> None:
        months, loss_reasons = read
        self.cards["wonLost"].show_bars(
            [_month_label(m.month) for m in months],
            [
                ("won", self.tr("Won"), [m.won_amount for m in months]),
                ("lost", self.tr("Lost"), [m.lost_amount for m in months]),
            ],
            money=True,
        )
        won, lost = sum(m.won for m in months), sum(m.lost for m in months)
        reasons = self.tr(", ").join(
            self.tr("{reason} ({count})").format(
                reason=reason or self.tr("no reason given"), count=count
            )
            for reason, count in loss_reasons
        )
        note = self.tr("Won {won}, lost {lost}.").format(won=won, lost=lost)
        if reasons:
            note += " " + self.tr("Main loss reasons: {reasons}.").format(reasons=reasons)
        self.cards["wonLost"].set_note(note)

    def _draw_grades(self, grades: list[figures.GradeFigure]) -> None:
        slices = []
        shares = figures.whole_percents([g.value for g in grades])
        for figure, share in zip(grades, shares, strict=True):
            name = self.tr("No grade") if figure.grade == NO_GRADE else choice_label(figure.grade)
            label = self.tr("{grade}: {count}, {share}% of value").format(
                grade=name, count=figure.count, share=share
            )
            slices.append((label, figure.count))
        self.cards["grades"].show_pie(slices)
        self.cards["grades"].set_note(
            self.tr("A year's payments: {value}.").format(
                value=format_money(sum(g.value for g in grades))
            )
        )

    def _draw_activity(self, activity: list[figures.ActivityWeek]) -> None:
        people = self.ask.people
        weeks = self.ask.period.weeks()
        sums = {key: [0] * len(weeks) for key in figures.WEEK_MEASURES}
        per_person: dict[str, dict[str, int]] = {p: dict.fromkeys(sums, 0) for p, _ in people}
        position = {monday: n for n, monday in enumerate(weeks)}
        for row in activity:
            for key in figures.WEEK_MEASURES:
                count = getattr(row, key)
                if row.week in position:
                    sums[key][position[row.week]] += count
                per_person.setdefault(row.user_id, dict.fromkeys(sums, 0))[key] += count
        labels = self._measure_labels()
        self.cards["activity"].show_bars(
            [_week_label(w) for w in weeks],
            [(key, labels[key], sums[key]) for key in figures.WEEK_MEASURES],
            STACKED,
        )
        names = dict(people)
        departed = self.team.departed_ids if self.team else frozenset()
        self._people_shown = [
            p for p, counts in per_person.items() if p not in departed or any(counts.values())
        ]
        self.cards["people"].show_bars(
            [names.get(p) or p for p in self._people_shown],
            [
                (key, labels[key], [per_person[p][key] for p in self._people_shown])
                for key in figures.WEEK_MEASURES
            ],
            HORIZONTAL_STACKED,
        )

    def _measure_labels(self) -> dict[str, str]:
        return {
            "followups": self.tr("Follow-ups"),
            "customers_added": self.tr("New customers"),
            "tasks_done": self.tr("Tasks done"),
        }

    def _owner_labels(self, rows: Sequence[Any]) -> tuple[list[str], list[str]]:
        """The first MOST_OWNERS owners by name (the pool's as such), then "Others"."""
        keys = [row.owner_id for row in rows[:MOST_OWNERS]]
        labels = [row.owner or self.tr("Public pool") for row in rows[:MOST_OWNERS]]
        if len(rows) > MOST_OWNERS:
            keys.append(OTHERS)
            labels.append(self.tr("Others"))
        return keys, labels

    @staticmethod
    def _with_others(rows: Sequence[Any], value: Any) -> list[float]:
        values = [value(row) for row in rows[:MOST_OWNERS]]
        if len(rows) > MOST_OWNERS:
            values.append(sum(value(row) for row in rows[MOST_OWNERS:]))
        return values

    def _draw_quiet(self, rows: list[figures.QuietFigure]) -> None:
        self._quiet_owners, labels = self._owner_labels(rows)
        self.cards["quiet"].show_bars(
            labels,
            [
                ("30", self.tr("30–59 days"), self._with_others(rows, lambda r: r.days_30)),
                ("60", self.tr("60–89 days"), self._with_others(rows, lambda r: r.days_60)),
                ("90", self.tr("90 days or more"), self._with_others(rows, lambda r: r.days_90)),
            ],
            HORIZONTAL_STACKED,
        )
        self.cards["quiet"].set_note(
            self.tr(
                "%n customer(s) without a follow-up for 30 days or more.",
                "",
                sum(r.total for r in rows),
            )
        )

    def _draw_pool(self, read: tuple[int, list[OwnerCount]]) -> None:
        days, rows = read
        self._pool_owners, labels = self._owner_labels(rows)
        self.cards["pool"].show_bars(
            labels,
            [("count", self.tr("Customers"), self._with_others(rows, lambda r: r.count))],
        )
        self.cards["pool"].set_note(
            self.tr(
                "%n customer(s) return to the pool within {days} days unless followed up.",
                "",
                sum(r.count for r in rows),
            ).format(days=days)
        )

    def _draw_renewals(self, months: list[figures.MonthFigure]) -> None:
        self.cards["renewals"].show_bars(
            [_month_label(m.month) for m in months],
            [("count", self.tr("Contracts"), [m.count for m in months])],
        )
        self.cards["renewals"].set_note(
            self.tr(
                "%n contract(s) worth {amount} end in the period.", "", sum(m.count for m in months)
            ).format(amount=format_money(sum(m.amount for m in months)))
        )

    def _draw_receivables(self, rows: list[OwnerCount]) -> None:
        self._receivable_owners, labels = self._owner_labels(rows)
        self.cards["receivables"].show_bars(
            labels,
            [("amount", self.tr("Overdue"), self._with_others(rows, lambda r: r.amount))],
            money=True,
        )
        self.cards["receivables"].set_note(
            self.tr("{amount} overdue from %n customer(s).", "", sum(r.count for r in rows)).format(
                amount=format_money(sum(r.amount for r in rows))
            )
        )

    # -- the list behind a bar ---------------------------------------------------------------

    def _clicked(self, card: str, series: str, index: int) -> None:
        """Open the list of what the bar `index` of `series` counted (nothing for "Others")."""
        if self.ask is None:
            return
        categories = self.cards[card].categories
        category = categories[index] if index < len(categories) else ""
        caption = f"{self.captions[card]}: {category}"
        if card in ("activity", "people"):
            caption += f" · {self._measure_labels()[series]}"
        drill = self._drill(card, series, index)
        if drill is None:
            return
        if callable(drill):  # it needs the store: the storage thread reads it
            self._runner.submit(
                partial(self._reader.read, drill),
                lambda found: self.open_list.emit(found[0], found[1], caption),
            )
        else:
            self.open_list.emit(drill[0], drill[1], caption)

    def _drill(self, card: str, series: str, index: int) -> Any:
        """The list behind a bar (figures.Drill), a function of a session giving it, or None."""
        ask, parts = self.ask, self.parts
        assert ask is not None
        filters, period = ask.filters, ask.period
        if card == "pipeline":
            return figures.pipeline_drill(filters, list(reversed(parts["pipeline"]))[index].stage)
        if card == "forecast":
            return figures.forecast_drill(filters, parts["forecast"][index].month, period)
        if card == "wonLost":
            month = parts["won_lost"][0][index].month
            return figures.won_lost_drill(filters, month, series, period)
        if card == "grades":
            return figures.grade_drill(filters, parts["grades"][index].grade)
        if card == "renewals":
            return figures.renewals_drill(filters, parts["renewals"][index].month, period)
        if card == "activity":
            monday = period.weeks()[index]
            week = Period(max(monday, period.start), min(monday + timedelta(days=6), period.end))
            people = [person for person, _ in ask.people]
            return partial(_activity_drill, people=people, measure=series, period=week)
        if card == "people":
            people = [self._people_shown[index]]
            return partial(_activity_drill, people=people, measure=series, period=period)
        owners = {
            "quiet": self._quiet_owners,
            "pool": self._pool_owners,
            "receivables": self._receivable_owners,
        }[card]
        owner = owners[index]
        if owner == OTHERS:
            return None
        if card == "quiet":
            return figures.quiet_drill(filters, owner, int(series), ask.now)
        if card == "pool":
            within = timedelta(days=parts["pool_returns"][0])
            return figures.pool_drill(filters, owner, ask.now, within)
        return partial(_receivables_drill, filters=filters, owner=owner, today=ask.today)


def _activity_drill(session: Any, people: list[str], measure: str, period: Period) -> Any:
    return figures.activity_drill(session, people, measure, period)


def _receivables_drill(session: Any, filters: Filters, owner: str, today: date) -> Any:
    return figures.receivables_drill(session, filters, owner, today)
