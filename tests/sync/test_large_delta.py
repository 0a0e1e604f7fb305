"""A pull that would bring more changed rows than it should hold in memory at once (a mass
return to the pool, a handover of thousands of customers) streams a full resync instead: the
device ends with the same rows, its unsent changes kept."""

from __future__ import annotations

import pytest

from crm_desktop.sync import pull
from tests.sync.conftest import Fleet


def test_a_delta_past_the_limit_is_read_as_a_streamed_full_resync(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob, mia = fleet.device("rob"), fleet.device("mia")
    rob.sync()
    mia.sync()
    customers = [
        rob.writer.create("customers", {"name": f"Customer {n}"}).primary_id for n in range(8)
    ]
    rob.sync()
    # Mia adds one of her own meanwhile: it goes up in the same sync and stays on her device.
    mine = mia.writer.create("customers", {"name": "Mia's own"}).primary_id
    monkeypatch.setattr(pull, "DELTA_LIMIT", 5)
    report = mia.sync()
    assert report.pulled.full  # 8 new customers of her team's rep: more than 5
    assert set(customers) <= mia.ids("customers")
    assert mine in mia.ids("customers")
    assert mia.outbox() == 0  # pushed in the same sync, before the pull
    assert fleet.server_row("customers", mine)["name"] == "Mia's own"
    # Small deltas stay incremental.
    rob.writer.update("customers", customers[0], {"name": "Renamed"})
    rob.sync()
    report = mia.sync()
    assert not report.pulled.full
    assert mia.row("customers", customers[0]).name == "Renamed"
