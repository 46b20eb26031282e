"""The registration desk's rules on the command line: ``check`` a value as the intake form does,
``import-cases`` in bulk from the files of the 12345 hotline or the grid platform, and ``mask`` a
name, ID number or phone as receipts and publicity lists print them; ``read-id`` reads a resident
ID card from its scanned images (offline OCR) and prints the fields and every doubt about them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from mediation_desk.cli.args import path_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.readmodels import masking
from mediation_desk.readmodels.masking import scrub
from mediation_desk.services import case_import, validation
from mediation_desk.services.errors import ServiceError


@command
def cmd_check(context: CliContext) -> int:
    """Check one value as the intake form would: exit 0 when valid; refused, the form's message and
    exit 2 as for every other argument the command refuses."""
    args = context.args
    try:
        if args.kind == "id":
            info = validation.check_resident_id(args.value)
            print(f"有效：{info.number}，出生日期 {info.birth_date:%Y年%m月%d日}，性别 {info.gender.label}")
        elif args.kind == "phone":
            print(f"有效：{validation.check_phone(args.value)}")
        else:
            print(f"有效：{validation.check_credit_code(args.value)}")
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    return 0


@command
def cmd_read_id(context: CliContext) -> int:
    """Read a 居民身份证 from one or two images. Exit 0 when read (doubts are in ``flags``: a
    flagged card is still a reading the clerk compares with the card), 2 when refused."""
    from mediation_desk.models import now
    from mediation_desk.scanning.idcard import FIELD_LABELS, FIELDS, read_id_card_files

    args = context.args
    paths = [args.front, *([args.back] if args.back else [])]
    reading = read_id_card_files(paths, today=now().date())

    def lines() -> Iterator[str]:
        sides = "、".join({"front": "正面", "back": "背面"}[s] for s in reading.sides)
        yield f"读到：{sides}"
        for name in FIELDS:
            yield f"{FIELD_LABELS[name]}：{reading.fields[name]}"
        for name in FIELDS:
            for message in reading.flags.get(name, []):
                yield f"⚠ {FIELD_LABELS[name]}：{message}"
        if not reading.flagged:
            yield "各项相互印证，未发现不一致。"

    context.emit(reading.as_json, lines())
    return 0


@command
def cmd_import_cases(context: CliContext) -> int:
    db = context.database()
    path = Path(context.args.file)
    if not path.is_file():
        raise CliError(f"找不到文件“{path}”。")
    actor = context.actor()
    with db.write() as session:
        report = case_import.import_records(session, actor, case_import.read_records(path))
    for error in report.errors:
        print(scrub(str(error)), file=sys.stderr)  # a row's ID number or phone is shown masked
    for warning in report.warnings:
        print(scrub(warning), file=sys.stderr)
    print(f"导入 {report.imported} 件，已导入过而跳过 {report.already_imported} 件，"
          f"有错未导入 {len({e.line for e in report.errors})} 行。")
    if report.numbers:
        print(f"案号：{report.numbers[0]} 至 {report.numbers[-1]}" if len(report.numbers) > 1 else
              f"案号：{report.numbers[0]}")
    return 1 if report.errors else 0


@command
def cmd_mask(context: CliContext) -> int:
    args = context.args
    if args.kind == "name":
        print(masking.mask_name(args.value, style=args.style))
    elif args.kind == "id":
        print(masking.mask_id_number(args.value))
    else:
        print(masking.mask_phone(args.value))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("check", help="按受理登记表的规则检查身份证号、电话或统一社会信用代码")
    p.add_argument("kind", choices=["id", "phone", "uscc"], help="id=身份证号，phone=电话，uscc=统一社会信用代码")
    p.add_argument("value", metavar="值", type=text(100))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("import-cases", help="从 12345 热线、网格平台等导出的 CSV 或 JSON 文件批量导入案件",
                       description="列的含义见 docs/import-cases.md")
    p.add_argument("file", metavar="文件", type=path_text, help="CSV 或 JSON 文件（UTF-8 或 GB18030）")
    add_login(p, "以哪个账户（受理员或中心主任）的身份导入")
    p.set_defaults(func=cmd_import_cases)

    p = sub.add_parser("read-id", help="从扫描或拍摄的居民身份证图片读出各项（离线识别，无需登录）",
                       description="读出姓名、性别、民族、出生、住址、公民身份号码、签发机关、有效期限，并核对"
                                   "校验位、出生日期与性别；有疑问的项在 flags 中说明。正反面可分两幅图片（顺序不限），"
                                   "也可是同一幅图片。")
    p.add_argument("front", metavar="图片", type=path_text, help="身份证正面（或背面，或正反面同在的一幅）图片")
    p.add_argument("back", metavar="另一面", type=path_text, nargs="?", help="另一面的图片（可省略）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_read_id)

    p = sub.add_parser("mask", help="按公示规则显示姓名、证件号或电话的化名形式")
    p.add_argument("kind", choices=["name", "id", "phone"])
    p.add_argument("value", metavar="值", type=text(200))
    p.add_argument("--style", choices=list(masking.STYLES), default="某", help="姓名化名样式")
    p.set_defaults(func=cmd_mask)
