"""`manage.py rollover_year`: its Thai summary, --dry-run, and clear refusals."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import FiscalYear, Indicator
from tests.indicators.rollover.conftest import SOURCE_YEAR, TARGET_YEAR

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("rollover_year", *args, stdout=out)
    return out.getvalue()


def test_prints_what_was_copied_and_what_was_there_already(source):
    first = run("--from", "2570", "--to", "2571", "--agency", "5030", "--user", "auditor")
    # ข้าม 3: 5030's three city indicators, which the city assigns each year
    assert first.splitlines()[-1] == ("ยกยอดตัวชี้วัดจากปี 2570 ไปปี 2571: คัดลอก 6, มีอยู่แล้ว 0, ข้าม 3")
    second = run("--from", "2570", "--to", "2571", "--agency", "5030")
    assert "5030-3901 → 5030-3901: มีอยู่แล้ว" in second
    assert second.splitlines()[-1] == ("ยกยอดตัวชี้วัดจากปี 2570 ไปปี 2571: คัดลอก 0, มีอยู่แล้ว 6, ข้าม 3")
    copy = Indicator.objects.get(fiscal_year_id=TARGET_YEAR, code="5030-3901")
    assert copy.history.get().history_user.username == "auditor"


def test_dry_run_writes_nothing(source):
    before = (Indicator.objects.count(), Indicator.history.count(), FiscalYear.objects.count())
    output = run(
        "--from", str(SOURCE_YEAR), "--to", str(TARGET_YEAR), "--agency", "5030", "--dry-run"
    )
    assert output.splitlines()[-1] == (
        "ยกยอดตัวชี้วัดจากปี 2570 ไปปี 2571: คัดลอก 6, มีอยู่แล้ว 0, ข้าม 3 (ทดลอง ไม่ได้บันทึก)"
    )
    after = (Indicator.objects.count(), Indicator.history.count(), FiscalYear.objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2570", "--to", "2569"], "ปีปลายทาง (2569) ต้องอยู่หลังปีต้นทาง (2570)"),
        (["--from", "2550", "--to", "2551"], "ไม่มีปีงบประมาณ 2550 ในระบบ"),
        (["--from", "2570", "--to", "2571", "--agency", "9999"], "ไม่พบหน่วยงานรหัส 9999"),
        (["--from", "2570", "--to", "2571", "--user", "nobody"], "ไม่พบผู้ใช้ nobody"),
    ],
)
def test_a_bad_argument_stops_with_a_clear_message(args, message):
    count = Indicator.objects.count()
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert str(refused.value) == message
    assert Indicator.objects.count() == count


def test_a_non_number_year_is_refused_by_the_parser():
    with pytest.raises(CommandError, match="invalid int value"):
        run("--from", "สองห้าหกเก้า", "--to", "2570")
