"""``mediation-desk export`` and ``mediation-desk import-packet``: transfer packets from the
command line, with the same services as the app (docs/transfer-packet.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediation_desk.cli.args import byte_size, name_text, out_file, path_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.exchange.importer import GIB, PacketLimits
from mediation_desk.models import TransferTarget


class _Progress:
    """Progress on stderr: a line per tenth, and each new step."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.last_step = ""
        self.last_tenth = -1

    def __call__(self, done: int, total: int, step: str) -> None:
        tenth = min(10, done * 10 // max(total, 1))
        if step != self.last_step or tenth != self.last_tenth:
            print(f"{self.verb} {tenth * 10:3d}%  {step}", file=sys.stderr, flush=True)
            self.last_step, self.last_tenth = step, tenth


#: Sizes ``--max-size`` accepts: at least a kibibyte (a manifest), at most 64 GiB.
_size = byte_size(1024, 64 * GIB)


@command
def cmd_export(context: CliContext) -> int:
    from mediation_desk.exchange.export import export_packet
    from mediation_desk.services import cases

    args = context.args
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        case_id = cases.case_detail_by_number(session, actor, args.number).id
    claims = args.claims if args.claims else None
    if args.to == TransferTarget.COURT.value:
        from mediation_desk.services import transfers

        if not args.claims:
            raise CliError("移送人民法院须用 --claim 逐项写明诉讼请求（可重复，例如 --claim 判令被申请人赔偿医疗费"
                           "5000元）：申请调解的事项不是诉讼请求，法院无法据以立案。")
        problem = transfers.claims_problem(args.claims)
        if problem is not None:
            raise CliError(f"--claim：{problem}")
    result = export_packet(db, actor, case_id, target=args.to, target_name=args.target_name, out=Path(args.out),
                           claims=claims, progress=_Progress("导出"))
    print(f"{args.number}：移送材料包已写入 {result.path}（{result.files} 个文件，{result.size:,} 字节）")
    print(f"材料包编号 {result.packet_id}，SHA-256 {result.sha256}")
    if args.mark_sent:
        from mediation_desk.services import transfers

        assert result.transfer is not None
        with db.write() as session:
            transfers.confirm_sent(session, actor, result.transfer.id)
        print(f"已确认移送至{args.target_name}，案件状态改为“已移送”。")
    else:
        print("材料包交付对方后，请在案件的“移送”页确认移送（或导出时加 --mark-sent）。")
    return 0


@command
def cmd_import_packet(context: CliContext) -> int:
    from mediation_desk.exchange.importer import import_packet

    args = context.args
    db = context.database()
    actor = context.actor()
    default = PacketLimits()
    limits = PacketLimits(max_packet_bytes=args.max_size,
                          max_total_bytes=max(args.max_size, default.max_total_bytes))
    result = import_packet(db, actor, Path(args.file), limits=limits, progress=_Progress("导入"))
    print(result.message)
    return 0


@command
def cmd_crossing_out(context: CliContext) -> int:
    from mediation_desk.exchange.crossing import export_crossing

    args = context.args
    result = export_crossing(context.database(), context.actor(), args.step, out=Path(args.out))
    print(f"{result.case_number}：{result.kind.label}的流转材料包已写入 {result.path}"
          f"（材料 {result.materials} 份，案件附件 {result.attachments} 份，{result.size:,} 字节）")
    print(f"材料包编号 {result.packet_id}，SHA-256 {result.sha256}")
    return 0


@command
def cmd_crossing_in(context: CliContext) -> int:
    from mediation_desk.exchange.crossing import import_crossing

    args = context.args
    result = import_crossing(context.database(), context.actor(), Path(args.file))
    print(result.message)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("export", help="生成案件的移送材料包（ZIP：移送函、案件情况摘要、笔录、证据及 manifest.json）")
    p.add_argument("number", metavar="案号", type=text(60), help="案件编号，例如（2026）甘矛调字第0001号")
    p.add_argument("--to", required=True, choices=[t.value for t in TransferTarget],
                   help="移送去向：court=法院（绿色通道优先立案），department=职能部门")
    p.add_argument("--target-name", required=True, type=name_text(120), help="接收单位名称，例如 张掖市甘州区人民法院")
    p.add_argument("--out", required=True, type=out_file(".zip"), help="材料包文件（.zip）")
    p.add_argument("--claim", dest="claims", action="append", default=[], type=text(2000),
                   help="诉讼请求，每项一个 --claim（可重复）；移送法院时必填，须写成请求法院判令的内容；"
                        "移送职能部门时可省略，默认取申请人的申请事项")
    p.add_argument("--mark-sent", action="store_true", help="写出后即确认已移送（案件改为“已移送”）")
    add_login(p, "以哪个账户的身份操作（确认移送须为调解员或中心主任）")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-packet", help="导入其他中心移送来的材料包：核对全部校验值后登记为新案件")
    p.add_argument("file", metavar="材料包", type=path_text, help="材料包文件（.zip）")
    p.add_argument("--max-size", type=_size, default=PacketLimits().max_packet_bytes,
                   help="材料包大小上限，默认 2G")
    add_login(p, "以哪个账户的身份登记")
    p.set_defaults(func=cmd_import_packet)

    p = sub.add_parser("crossing-out",
                       help="导出本中心的一步流转（上报、交办、回退、反馈）的流转材料包，供离线的乡镇或县级中心导入")
    p.add_argument("--step", required=True, type=text(40), help="流转编号（uid），见 crossings list --json")
    p.add_argument("--out", required=True, type=out_file(".zip"), help="流转材料包文件（.zip）")
    add_login(p, "以哪个账户的身份导出（须为发出该步的中心的受理员或中心主任）")
    p.set_defaults(func=cmd_crossing_out)

    p = sub.add_parser("crossing-in",
                       help="导入上级或下级中心的流转材料包：核对后以同一流转编号记入本库（重复导入不作更改）")
    p.add_argument("file", metavar="材料包", type=path_text, help="流转材料包文件（.zip）")
    add_login(p, "以哪个账户的身份导入（须为接收中心的受理员或中心主任）")
    p.set_defaults(func=cmd_crossing_in)
