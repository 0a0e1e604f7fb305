"""A chart card on its own: money axes count in the units of the user's language, a chart with
nothing to show says so, and a pie's key shows its labels whole in a narrow card."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QPoint
from pytestqt.qtbot import QtBot

from crm_desktop.views.charts import HORIZONTAL, ChartCard, money_unit

CHINESE, ENGLISH = QLocale("zh_CN"), QLocale("en")


@pytest.fixture
def chinese() -> Iterator[None]:
    """The default locale Chinese, as install_translators sets it for a Chinese user."""
    before = QLocale()
    QLocale.setDefault(CHINESE)
    yield
    QLocale.setDefault(before)


@pytest.fixture
def card(qtbot: QtBot) -> ChartCard:
    made = ChartCard("testChart", "A chart")
    qtbot.addWidget(made)
    return made


@pytest.mark.parametrize(
    ("top_yuan", "english", "chinese"),
    [
        (0, 1, 1),
        (9_999, 1, 1),
        (10_000, 1_000, 10_000),
        (9_999_999, 1_000, 10_000),
        (10_000_000, 1_000_000, 10_000),
        (99_999_999, 1_000_000, 10_000),
        (100_000_000, 1_000_000, 100_000_000),
        (10_000_000_000, 1_000_000_000, 100_000_000),
    ],
)
def test_each_language_counts_large_sums_its_own_way(
    top_yuan: int, english: int, chinese: int
) -> None:
    """元 below 10,000, then 万元, then 亿元 in Chinese; thousands, millions in English."""
    assert money_unit(top_yuan, ENGLISH) == english
    assert money_unit(top_yuan, CHINESE) == chinese


def money_bars(card: ChartCard, *fen: int) -> None:
    card.show_bars([f"Stage {n}" for n in range(len(fen))], [("amount", "Amount", fen)], money=True)


def axis_title(card: ChartCard) -> str:
    return card.chart.axes()[-1].titleText()


def test_every_money_chart_follows_one_rule(card: ChartCard, chinese: None) -> None:
    """The reviewer saw 千元 on one chart and ¥ on the next: in Chinese the axis says 万元 from
    ¥10,000 on, 元 below, the unit said once on the axis and nowhere else."""
    money_bars(card, 447_112_850, 120_000_00)  # ¥4,471,128.50 and ¥120,000
    assert card.unit == card.tr("10,000 yuan") == axis_title(card)
    assert card.values("amount") == pytest.approx([447.11285, 12])
    money_bars(card, 600_000, 280_000)  # ¥6,000 and ¥2,800
    assert card.unit == card.tr("yuan") == axis_title(card)
    assert card.values("amount") == pytest.approx([6_000, 2_800])
    money_bars(card, 250_000_000_00)  # ¥250,000,000
    assert card.unit == card.tr("100 million yuan")
    assert card.values("amount") == pytest.approx([2.5])


def test_english_counts_in_thousands_and_millions(card: ChartCard) -> None:
    money_bars(card, 447_112_850)  # ¥4,471,128.50
    assert card.unit == card.tr("¥ thousand") == axis_title(card)
    assert card.values("amount") == pytest.approx([4_471.1285])
    money_bars(card, 25_000_000_00)  # ¥25,000,000
    assert card.unit == card.tr("¥ million")
    assert card.values("amount") == pytest.approx([25])


def test_a_chart_without_data_says_so_instead_of_empty_axes(qtbot: QtBot, card: ChartCard) -> None:
    card.show()
    qtbot.waitExposed(card)
    money_bars(card, 0, 0, 0)
    assert card.is_empty()
    assert card.empty.isVisible() and card.empty.text() == card.tr("No data yet")
    assert not card.view.isVisible()
    assert not card.save_button.isEnabled()  # a picture of nothing
    assert card.values("amount") == [0, 0, 0]  # what there is, all the same
    card.show_bars([], [("count", "Count", [])], HORIZONTAL)
    assert card.is_empty()

    money_bars(card, 0, 100)
    assert not card.is_empty() and card.view.isVisible() and not card.empty.isVisible()
    assert card.save_button.isEnabled()

    card.show_pie([("A", 0), ("B", 0)])
    assert card.is_empty()
    card.show_pie([("A", 0), ("B", 3)])
    assert not card.is_empty()


def test_a_pies_key_shows_every_label_whole_in_a_narrow_card(qtbot: QtBot, card: ChartCard) -> None:
    """The chart's own legend cut "A（前 5%）：20 个，占价值 8%" to "A（前 5%…" in a half-width
    card: the key beside the pie wraps its labels instead."""
    labels = [
        "A（前 5%）：20 个，占价值 8%",
        "B（其次 15%）：48 个，占价值 11%",
        "C：232 个，占价值 81%",
        "无等级：0 个，占价值 0%",
    ]
    card.resize(360, 340)
    card.show()
    qtbot.waitExposed(card)
    card.show_pie([(label, n) for n, label in enumerate(labels, 1)])
    qtbot.waitUntil(lambda: card.key.isVisible())
    shown = card.key_labels()
    assert [label.text() for label in shown] == labels
    assert not card.chart.legend().isVisible()
    for label in shown:
        assert label.isVisible() and label.wordWrap()
        left = label.mapTo(card, QPoint(0, 0)).x()
        assert left >= 0 and left + label.width() <= card.width()
        assert label.heightForWidth(label.width()) <= label.height()  # every line of it
    # Drawn again (another filter): the old key goes, the new one shows.
    card.show_pie([("A", 1)])
    qtbot.waitUntil(lambda: [label.text() for label in card.key_labels()] == ["A"])
    # A bar chart after it: no key, the chart's own legend.
    money_bars(card, 100)
    assert not card.key.isVisible() and card.key_labels() == []
