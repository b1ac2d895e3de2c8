"""Bring parsed old-system pages into the portal as published, in one transaction per run."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.access import FULL_SCOPE
from indicators.cache import raise_after_commit
from indicators.digitalplans.layouts import (
    INDEX,
    INDICATOR_2563,
    PageRecord,
    QuarterRow,
    parse_page,
)
from indicators.digitalplans.report import SECTION_LABELS, MigrationReport
from indicators.digitalplans.sources import SourcePage
from indicators.models import (
    Agency,
    AgencyKind,
    Assessment,
    Dataset,
    Direction,
    FiscalYear,
    ImportBatch,
    Indicator,
    IndicatorDataset,
    IndicatorKind,
    IndicatorProject,
    Measure,
    Project,
    QuarterReport,
    ReportStatus,
    ResultLevel,
    StrategyNode,
)
from indicators.quality import indicator_issues
from indicators.reference_data import PLAN_20_YEARS

# The 2562–2563 pages name no agency: they were the city's urban-development indicator database.
AGENCY_OF_2563_PAGES = "2100"


@dataclass
class Run:
    by: User | None
    batch: ImportBatch | None
    year: int | None
    create_agencies: bool
    report: MigrationReport
    touched: list[Indicator] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return self.batch.change_reason if self.batch and self.batch.pk else "import-digitalplans"


def digitalplans_import(
    *,
    pages: list[SourcePage],
    by: User | None,
    batch: ImportBatch | None = None,
    dry_run: bool,
    year: int | None = None,
    create_agencies: bool = False,
) -> MigrationReport:
    """Bring every indicator the pages show into the portal as published; a dry run writes nothing."""
    run = Run(
        by=by, batch=batch, year=year, create_agencies=create_agencies, report=MigrationReport()
    )
    run.report.pages = len(pages)
    with transaction.atomic():
        for page in pages:
            records = parse_page(page)
            if not records:
                run.report.skipped.append(
                    _("%(name)s: ไม่ใช่หน้าตัวชี้วัดของระบบเดิม") % {"name": page.name}
                )
            for record in records:
                _bring_in(run, record)
        _collect_flags(run)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Links are written in bulk, which sends no signal: every kept page learns of the
            # import here (a report's save alone would raise only its agency's version).
            raise_after_commit()
    return run.report


def _bring_in(run: Run, record: PageRecord) -> None:
    year = record.year or run.year
    if record.layout == INDICATOR_2563 and not record.prefix:
        record.prefix = AGENCY_OF_2563_PAGES
    label = f"{record.source} {record.prefix}-{record.number}"
    if year is None:
        run.report.skipped.append(
            _("%(page)s: หน้าไม่ระบุปีงบประมาณ ให้ระบุปี (--year)") % {"page": label}
        )
        return
    if record.number is None or not record.prefix:
        run.report.skipped.append(_("%(page)s: อ่านรหัสตัวชี้วัดไม่ได้") % {"page": record.source})
        return
    agency = _agency(run, record)
    if agency is None:
        return
    fiscal_year = _fiscal_year(run, year)
    code = Indicator.build_code(agency.prefix, record.number)
    indicator = Indicator.objects.filter(fiscal_year=fiscal_year, code=code).first()
    # An index row of an indicator the portal already has is a comparison, not a cut-short page.
    if record.missing and (indicator is None or record.layout != INDEX):
        labels = [str(SECTION_LABELS.get(key, key)) for key in record.missing]
        run.report.missing[f"{year} {code}"] = labels
    if indicator is None:
        indicator = _create(run, record, fiscal_year, agency, code)
        run.report.created += 1
    else:
        changes = _update(run, record, indicator)
        if changes:
            run.report.differences[f"{year} {code}"] = changes
            run.report.updated += 1
        else:
            run.report.unchanged += 1
    run.touched.append(indicator)


def _agency(run: Run, record: PageRecord) -> Agency | None:
    prefix = record.agency_code[:4] if record.agency_code else record.prefix
    agency = Agency.objects.filter(prefix=prefix).first()
    if agency is not None:
        return agency
    if not run.create_agencies:
        if prefix not in run.report.unknown_agencies:
            run.report.unknown_agencies.append(prefix)
        run.report.skipped.append(
            _("%(page)s: ไม่มีหน่วยงานรหัส %(prefix)s ในข้อมูลอ้างอิง (ใช้ --create-agencies เพื่อสร้าง)")
            % {"page": record.source, "prefix": prefix}
        )
        return None
    run.report.created_agencies.append(prefix)
    return Agency.objects.create(
        code=record.agency_code or f"{prefix}0000",
        prefix=prefix,
        name_th=_("หน่วยงานรหัส %(prefix)s (รอผู้ดูแลระบบตั้งชื่อ)") % {"prefix": prefix},
        kind=AgencyKind.DISTRICT_OFFICE if prefix.startswith("50") else AgencyKind.DEPARTMENT,
        needs_name=True,
    )


def _fiscal_year(run: Run, year: int) -> FiscalYear:
    # The old system's pages were public, so a year brought from them is published.
    fiscal_year, created = FiscalYear.objects.get_or_create(
        year=year, defaults={"is_published": True}
    )
    if created:
        run.report.notes.append(_("สร้างปีงบประมาณ %(year)d (เผยแพร่)") % {"year": year})
    return fiscal_year


def measure_of(unit: str) -> tuple[str, str]:
    """The measure and direction the unit names: ร้อยละ (ลดลง) is a percent where lower is better."""
    direction = Direction.LOWER if "ลดลง" in unit else Direction.HIGHER
    if unit.startswith("ร้อยละ"):
        return Measure.PERCENT, direction
    if unit.startswith("ระดับ"):
        return Measure.LEVEL, Direction.LEVEL
    if unit.startswith("คะแนน"):
        return Measure.SCORE, direction
    return Measure.NUMBER, direction


def _printed(record: PageRecord) -> dict:
    """The page's own text for the fields the portal stores as numbers or links."""
    printed: dict = {
        "layout": record.layout,
        "target": record.target_text,
        "result": record.result_text,
    }
    if record.audit_quarter is not None:
        printed["audit_score"] = record.audit_score_text
    if record.unlabeled:
        printed["unlabeled"] = record.unlabeled
    if record.data_nature:
        printed["data_nature"] = record.data_nature
    if record.strategy_lines:
        printed["strategy"] = record.strategy_lines
    for row in record.quarters:
        printed[f"q{row.quarter}"] = row.printed
    return {key: value for key, value in printed.items() if value not in ("", None)}


def _fields(record: PageRecord) -> dict:
    """The indicator's fields the page states; a section the page lacks leaves its field alone."""
    present = set(SECTION_LABELS) - set(record.missing)
    fields: dict = {"unit": record.unit} if "target" in present else {}
    if "name" in present:
        fields["name_th"] = record.name
    if "name" in present and record.layout != INDEX:
        fields["display_number"] = record.display_number
    if "target" in present:
        stored = record.target.stored
        fields["target"] = stored if stored is not None else Decimal(0)
    if record.layout == INDEX:
        return fields
    if "type" in present:
        fields["kind"] = (
            IndicatorKind.ROUTINE if "งานประจำ" in record.kind_text else IndicatorKind.STRATEGIC
        )
        outcome = "ผลลัพธ์" in record.level_text or "outcome" in record.level_text
        fields["result_level"] = ResultLevel.OUTCOME if outcome else ResultLevel.OUTPUT
    if "audit" in present:
        fields["audit_quarter"] = record.audit_quarter
    for key, name in (
        ("summary", "summary"),
        ("definition", "definition"),
        ("calculation", "calculation_method"),
        ("sources", "data_collection"),
    ):
        if key in present:
            fields[name] = getattr(record, key)
    return fields


def _create(
    run: Run, record: PageRecord, fiscal_year: FiscalYear, agency: Agency, code: str
) -> Indicator:
    measure, direction = measure_of(record.unit)
    defaults = {
        "kind": IndicatorKind.STRATEGIC,
        "result_level": ResultLevel.OUTPUT,
        "target": Decimal(0),
    }
    indicator = Indicator(
        fiscal_year=fiscal_year,
        agency=agency,
        number=int(code.rsplit("-", 1)[1]),
        code=code,
        measure=measure,
        direction=direction,
        source_url=record.url or record.source,
        import_batch=run.batch if run.batch and run.batch.pk else None,
        source_text=_printed(record),
        **{**defaults, **_fields(record)},
    )
    _save(run, indicator)
    _links(run, record, indicator)
    for row in record.quarters:
        _quarter(run, indicator, row)
    return indicator


def _update(run: Run, record: PageRecord, indicator: Indicator) -> list[str]:
    """Differences between the page and the portal, written to the indicator; [] when equal.

    The page's printed text is kept quietly: it is not a difference anyone needs to review.
    """
    changes = []
    for name, value in _fields(record).items():
        if getattr(indicator, name) != value:
            before = getattr(indicator, name)
            changes.append(_difference(_label(Indicator, name), before, value))
            setattr(indicator, name, value)
    printed = {**indicator.source_text, **_printed(record)}
    if changes or printed != indicator.source_text:
        indicator.source_text = printed
        indicator.source_url = indicator.source_url or record.url or record.source
        _save(run, indicator)
    changes += _links(run, record, indicator)
    for row in record.quarters:
        changes += _quarter(run, indicator, row)
    return changes


def _difference(label: object, before: object, after: object) -> str:
    def shown(value: object) -> str:
        text = (
            f"{value.normalize():f}"
            if isinstance(value, Decimal)
            else str(value if value is not None else "–")
        )
        return text if len(text) <= 80 else f"{text[:77]}…"

    return f"{label}: {shown(before)} → {shown(after)}"


def _label(model, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _save(run: Run, instance) -> None:
    instance._change_reason = run.reason
    instance._history_user = run.by
    instance.save()


def _links(run: Run, record: PageRecord, indicator: Indicator) -> list[str]:
    """Strategy nodes, projects and datasets as the page lists them, when it lists them."""
    changes = []
    if "strategy" not in record.missing and record.layout != INDEX:
        changes += _strategy(record, indicator)
    if "datasets" not in record.missing and record.layout != INDEX:
        changes += _ordered(
            indicator, record.datasets, Dataset, IndicatorDataset, "dataset", "title_th"
        )
    if "projects" not in record.missing and record.layout != INDEX:
        changes += _ordered(
            indicator, record.projects, Project, IndicatorProject, "project", "name_th"
        )
    return changes


def _strategy(record: PageRecord, indicator: Indicator) -> list[str]:
    codes = record.strategy_codes()
    nodes = {
        n.code: n for n in StrategyNode.objects.filter(plan__code=PLAN_20_YEARS, code__in=codes)
    }
    # Link the deepest node of each path the page prints; its ancestors follow from the tree.
    leaves = [c for c in nodes if not any(o != c and o.startswith(f"{c}.") for o in nodes)]
    wanted = sorted(nodes[c].pk for c in leaves)
    current = sorted(indicator.strategy_nodes.values_list("pk", flat=True))
    if wanted == current:
        return []
    indicator.strategy_nodes.set(wanted)
    return [_difference(_("ยุทธศาสตร์ที่สนับสนุน"), len(current), ", ".join(sorted(leaves)))]


def _ordered(
    indicator: Indicator, items, model, link_model, name: str, text_field: str
) -> list[str]:
    current = [
        (getattr(link, f"{name}_id"), link.order)
        for link in link_model.objects.filter(indicator=indicator)
    ]
    objects = [
        model.objects.get_or_create(code=code, defaults={text_field: text})[0]
        for code, text in items
    ]
    wanted = [(obj.pk, order) for order, obj in enumerate(objects, start=1)]
    if sorted(current) == sorted(wanted):
        return []
    link_model.objects.filter(indicator=indicator).delete()
    link_model.objects.bulk_create(
        [
            link_model(indicator=indicator, order=order, **{name: obj})
            for order, obj in enumerate(objects, 1)
        ]
    )
    return [
        _difference(model._meta.verbose_name, len(current), ", ".join(code for code, _t in items))
    ]


def _quarter(run: Run, indicator: Indicator, row: QuarterRow) -> list[str]:
    """One quarter as published: an approved report with the auditors' scores."""
    report = QuarterReport.objects.filter(indicator=indicator, quarter=row.quarter).first()
    report = report or QuarterReport.of(indicator, row.quarter)
    wanted = {
        "value": row.value.stored,
        "narrative": row.narrative,
        "status": ReportStatus.APPROVED,
    }
    changes = _assign(report, wanted, _("ไตรมาสที่ %(q)d") % {"q": row.quarter})
    if changes or report.pk is None:
        _save(run, report)
    assessment = Assessment.objects.filter(report=report).first() or Assessment.of(report)
    scores = {
        "score": row.score.score,
        "score_2_1": row.score_2_1.score,
        "score_2_2": row.score_2_2.score,
    }
    for number in (row.score, row.score_2_1, row.score_2_2):
        if number.value is not None and number.score is None:
            run.report.notes.append(
                _("%(code)s ไตรมาสที่ %(q)d: คะแนน “%(text)s” อยู่นอกช่วง 0–100 เก็บไว้เป็นข้อความ")
                % {"code": indicator.code, "q": row.quarter, "text": number.raw}
            )
    score_changes = _assign(assessment, scores, _("ไตรมาสที่ %(q)d") % {"q": row.quarter})
    if score_changes or assessment.pk is None:
        _save(run, assessment)
    return changes + score_changes


def _assign(instance, wanted: dict, where: str) -> list[str]:
    changes = []
    for name, value in wanted.items():
        before = getattr(instance, name)
        if before != value:
            if instance.pk is not None:
                label = _label(type(instance), name)
                changes.append(_difference(f"{where} {label}", before, value))
            setattr(instance, name, value)
    return changes


def _collect_flags(run: Run) -> None:
    """The data-quality flags auditors will see on each indicator the run touched."""
    pks = [indicator.pk for indicator in run.touched]
    loaded = Indicator.objects.filter(pk__in=pks).with_reports(visible=FULL_SCOPE.reports_q())
    for indicator in loaded:
        issues = indicator_issues(indicator)
        if issues:
            run.report.flags[f"{indicator.fiscal_year_id} {indicator.code}"] = [
                i.message for i in issues
            ]
