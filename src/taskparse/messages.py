"""Every string a person reads, in one catalogue: Chinese by default, English on request.

``t(key, **params)`` returns the text for the current language.  The language is ``zh`` unless
``set_language("en")`` was called (``--lang en``) or, when nothing was set, the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``, first one set) starts with ``en``.  Codes, JSON keys and exit
codes never go through here: programs read those.

Parser warnings keep their stable ``code``; their text for people is ``warning_text(code, message)``,
which picks ``warn.<code>`` and fills it from the parameters found in the library's message.
"""
from __future__ import annotations

import os
import re

LANGUAGES = ("zh", "en")
_lang: str | None = None

# key -> (Chinese, English).  Parameters are str.format fields.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- the summary and single-file reports ---
    "done.single": ("已写入 {dest}：{tasks} 项任务，{warnings} 条提示", "wrote {dest}: tasks {tasks}, warnings {warnings}"),
    "done.stdout": ("已输出：{tasks} 项任务，{warnings} 条提示", "printed tasks {tasks}, warnings {warnings}"),
    "summary.counts": ("共 {files} 个文件：成功 {ok}，失败 {failed}；{tasks} 项任务，{warnings} 条提示；用时 {wall:.1f} 秒",
                       "files {files}: converted {ok}, failed {failed}; tasks {tasks}, warnings {warnings}; "
                       "{wall:.1f} s"),
    "summary.written": ("结果在：{dest}", "output: {dest}"),
    "summary.nothing_written": ("没有文件转换成功，{dest} 未改动", "no file converted; {dest} left unchanged"),
    "summary.no_files": ("没有找到可读取的文件（.txt .docx .doc .wps .pdf .ofd .html .mht .rtf .png .jpg .tif）",
                         "no supported files found (.txt .docx .doc .wps .pdf .ofd .html .mht .rtf .png .jpg .tif)"),
    "summary.head.file": ("文件", "file"),
    "summary.head.tasks": ("任务", "tasks"),
    "summary.head.warnings": ("提示", "warnings"),
    "summary.head.error": ("错误", "error"),
    "summary.skipped": ("跳过 {n} 个已是最新的文件（--resume）", "skipped {n} up-to-date files (--resume)"),
    "progress.parsing": ("解析中", "parsing"),
    "progress.ocr": ("{path}：文字识别 第 {done}/{total} 页", "{path}: OCR page {done}/{total}"),
    "interrupted": ("已中断：完成 {done}/{total} 个文件，已完成的结果已保留", "interrupted: {done}/{total} files done; "
                    "finished outputs kept"),
    "warning.line": ("{path}：提示：{text}", "{path}: warning: {text}"),
    "no_tasks": ("{path}：没有找到任务（{reason}）", "{path}: no tasks found ({reason})"),
    # --- usage errors (exit 2), all checked before any input is read ---
    "usage.bad_suffix": ("不支持的输出文件后缀 {suffix}：请用 .json .csv .jsonl .xlsx .sqlite .db，或一个文件夹",
                         "output suffix {suffix} is not one taskparse writes: use .json .csv .jsonl .xlsx .sqlite .db, "
                         "or a folder"),
    "usage.fmt_mismatch": ("-f {fmt} 与输出文件 {dest} 的后缀不符：去掉 -f，或把文件名改为 .{want}",
                           "-f {fmt} does not match the suffix of {dest}: drop -f or name the file .{want}"),
    "usage.folder_single": ("多个输入或文件夹不能写入一个 .json 文件：请用 -o 文件夹/，或 .xlsx .sqlite .jsonl .csv",
                            "several inputs cannot go into one .json file: use -o FOLDER/ or .xlsx .sqlite .jsonl .csv"),
    "usage.needs_output": ("-f {fmt} 需要 -o 文件", "-f {fmt} needs -o FILE"),
    "usage.output_is_input": ("输出 {dest} 就是输入文件之一，请换一个 -o", "the output {dest} is one of the inputs; "
                              "choose another -o"),
    "usage.output_is_file": ("{dest} 是一个文件；多个输入时 -o 应为文件夹或 .xlsx/.sqlite/.jsonl/.csv 文件",
                             "{dest} is a file; for several inputs -o must be a folder or a .xlsx/.sqlite/.jsonl/.csv file"),
    "usage.output_is_dir": ("{dest} 是一个文件夹，不能作为单个输出文件", "{dest} is a folder, not an output file"),
    "usage.outside": ("拒绝写到 {dest} 之外：{path}", "refusing to write outside {dest}: {path}"),
    "usage.click": ("用法错误：{detail}（taskparse --help 查看用法）", "usage error: {detail} (see taskparse --help)"),
    "usage.text_only": ("{command} 只能写 json、jsonl 或 csv，不能写 {fmt}", "{command} writes json, jsonl or csv, not {fmt}"),
    "usage.update_force": ("--update 和 --force 只能选一个", "--update and --force exclude each other"),
    "usage.no_command": ("没有 {name} 这个子命令，也没有这个文件；子命令有：convert（默认）、units、review。是不是想用 {guess}？",
                         "there is no command or file named {name}; commands are convert (the default), units and review. "
                         "Did you mean {guess}?"),
    "usage.resume_needs": ("--resume 需要 -o 文件夹/ 或 -o .sqlite", "--resume needs -o FOLDER/ or -o FILE.sqlite"),
    # --- the ledger: never clobber a person's work ---
    "ledger.edited": ("{dest} 里有手工修改（{what}），未覆盖：加 --update 合并新结果并保留修改，或加 --force 替换（旧文件另存为 .bak）",
                      "{dest} has manual edits ({what}) and was not replaced: --update merges and keeps them, "
                      "--force replaces it (the old file kept as .bak)"),
    "ledger.foreign": ("{dest} 不是 taskparse 生成的文件，未覆盖：换一个 -o，或加 --force 替换（旧文件另存为 .bak）",
                       "{dest} was not written by taskparse and was not replaced: choose another -o, or --force "
                       "replaces it (the old file kept as .bak)"),
    "ledger.foreign_update": ("{dest} 不是 taskparse 生成的台账，无法合并：换一个 -o，或加 --force 替换（旧文件另存为 .bak）",
                              "{dest} is not a taskparse ledger, so it cannot be merged: choose another -o, or --force "
                              "replaces it (the old file kept as .bak)"),
    "ledger.legacy": ("{dest} 是旧版 taskparse 生成的台账，无法判断哪些是手工填写的，未覆盖：加 --force 替换（旧文件另存为 .bak，"
                      "可从中抄回进展情况），或换一个 -o", "{dest} is a ledger of an earlier taskparse, which cannot tell "
                      "what people wrote, and was not replaced: --force replaces it (the old file kept as .bak to copy "
                      "progress from), or choose another -o"),
    "ledger.unreadable": ("{dest} 无法读取（{detail}），未改动：换一个 -o，或加 --force 替换（旧文件另存为 .bak）",
                          "{dest} cannot be read ({detail}) and was left alone: choose another -o, or --force replaces "
                          "it (the old file kept as .bak)"),
    "ledger.merged": ("已合并到 {dest}：新增 {added}，修改 {changed}，删除 {removed}（见“已删除”表），保留手工填写 {kept} 格",
                      "merged into {dest}: new {added}, changed {changed}, removed {removed} (see sheet 已删除), "
                      "filled cells kept {kept}"),
    "ledger.backup": ("旧文件已另存为 {bak}", "the old file is kept as {bak}"),
    "what.cells": ("{n} 个单元格", "{n} cells"),
    "what.columns": ("新增列 {names}", "added columns {names}"),
    "what.rows": ("行数有变", "rows added or removed"),
    "change.new": ("新增", "new"),
    "change.changed": ("已修改", "changed"),
    # --- output errors (each its own exit code) ---
    "out.denied": ("无法写入 {dest}：没有权限 — 换一个有写权限的文件夹，或关闭占用该文件的程序",
                   "cannot write {dest}: permission denied — choose a folder you can write to, or close the program "
                   "holding the file"),
    "out.readonly": ("无法写入 {dest}：所在磁盘是只读的 — 换一个文件夹", "cannot write {dest}: the file system is "
                     "read-only — choose another folder"),
    "out.full": ("无法写入 {dest}：磁盘已满 — 清理空间或换一个磁盘后重试", "cannot write {dest}: the disk is full — "
                 "free some space or choose another disk"),
    "out.locked": ("无法写入 {dest}：数据库被其他程序锁定 — 关闭正在使用它的程序后重试", "cannot write {dest}: the "
                   "database is locked by another program — close it and retry"),
    "out.other": ("无法写入 {dest}：{detail}", "cannot write {dest}: {detail}"),
    "out.not_sqlite": ("{dest} 不是 SQLite 数据库，无法更新 — 换一个 -o，或删除该文件", "{dest} is not a SQLite database, "
                       "so it cannot be updated — choose another -o, or remove the file"),
    # --- inputs ---
    "in.missing": ("{path}：文件不存在 — 检查路径", "{path}: no such file — check the path"),
    "in.denied": ("{path}：没有读取权限 — 检查文件权限", "{path}: permission denied — check the file's permissions"),
    "in.unreadable": ("{path}：无法读取（{detail}）", "{path}: cannot be read ({detail})"),
    "in.folder_unreadable": ("{path}：文件夹无法读取，已跳过 — 检查权限", "{path}: folder cannot be read, skipped — "
                             "check its permissions"),
    "in.link_outside": ("{path}：链接指向输入文件夹之外，已跳过 — 需要时加 --follow-links",
                        "{path}: a link out of the input folder, skipped — use --follow-links to follow it"),
    "in.timeout": ("{path}：超过 {seconds:g} 秒仍未完成，已放弃 — 文件可能已损坏；可用 --timeout 放宽",
                   "{path}: gave up after {seconds:g} s — the file may be damaged; raise --timeout to try longer"),
    "in.memory": ("{path}：需要的内存超过上限（{mb} MB）— 文件可能已损坏，或请拆分；可用 --memory 放宽",
                  "{path}: needs more than the {mb} MB memory budget — the file may be damaged, or split it; raise "
                  "--memory to try with more"),
    "in.crashed": ("{path}：读取时程序崩溃 — 请检查文件；加 --debug 查看详情", "{path}: the reader crashed on this file — "
                   "check the file; rerun with --debug"),
    "in.died": ("{path}：读取进程意外退出（可能超出 {mb} MB 的内存上限）— 文件可能已损坏，或请拆分；可用 --memory 放宽",
                "{path}: the reader process died (perhaps over the {mb} MB memory budget) — the file may be damaged, "
                "or split it; raise --memory to try with more"),
    "in.internal": ("{path}：内部错误（{detail}）— 请连同文件报告此问题；加 --debug 查看详情",
                    "{path}: internal error ({detail}) — please report it with the file; rerun with --debug"),
    "in.nested": ("{path}：文档嵌套过深，无法读取 — 请检查文件", "{path}: the document is nested too deeply to read — "
                  "check the file"),
    "internal": ("内部错误（{detail}）— 请报告此问题；加 --debug 查看详情", "internal error ({detail}) — please report it; "
                 "rerun with --debug for details"),
    # --- error classes of the library (errors.py kind) ---
    "error.unsupported": ("{path}：不支持的文件格式 — 请另存为 .docx、.pdf 或 .txt 后再试",
                          "{path}: not a format taskparse reads — save it as .docx, .pdf or .txt"),
    "error.corrupt": ("{path}：文件已损坏或不完整 — 请重新下载，或用 Word/WPS 打开后另存", "{path}: the file is damaged or "
                      "truncated — download it again, or open and re-save it in Word/WPS"),
    "error.encrypted": ("{path}：文件有密码保护 — 请去掉密码后再试", "{path}: the file is password-protected — remove the "
                        "password first"),
    "error.needs-ocr": ("{path}：没有可用的文字层（扫描件）— 请先做文字识别（OCR）", "{path}: no usable text layer (a scan) "
                        "— run OCR on it first"),
    "error.needs-ocr-extra": ("{path}：扫描件需要文字识别（OCR），但没有安装 — 请运行 pip install 'taskparse[ocr]'",
                              "{path}: a scan needs OCR, which is not installed — pip install 'taskparse[ocr]'"),
    "error.too-large": ("{path}：文件过大，或展开后超过安全上限 — 请拆分", "{path}: too large, or expands beyond a safety "
                        "limit — split it"),
    "error.empty": ("{path}：文件里没有文字", "{path}: the file holds no text"),
    # --- no_tasks reasons ---
    "reason.image": ("像是扫描件或图片页，没有文字层", "looks like an image-only page without a text layer"),
    "reason.table": ("像是表格，但没有“责任单位”一类的列", "looks like a table without a 单位 column"),
    "reason.labels": ("没有找到“牵头单位”“责任单位”一类的条款，也没有编号的任务", "no clause labels (牵头单位, 责任单位) "
                      "and no numbered tasks found"),
    "reason.unassigned": ("有编号的条目，但都没有“牵头单位”“责任单位”一类的分工（可能分工另列，或以空格排在行尾）",
                          "numbered items, but none names who does it (牵头单位, 责任单位): the duties may be "
                          "listed apart, or set off by spaces at the lines' ends"),
    # --- command-line help (taskparse --help); option names and values stay as typed ---
    "help.usage": ("用法：", "Usage: "),
    "help.options": ("选项", "Options"),
    "help.commands": ("子命令", "Commands"),
    "help.help": ("显示本帮助并退出。", "Show this message and exit."),
    "help.version": ("显示版本号并退出。", "Show the version and exit."),
    "help.main": ("把责任分工、任务分解一类的通知转成任务台账。\n\n\b\n"
                  "taskparse 通知.pdf -o tasks.json      一个文件（json、csv、jsonl、xlsx、sqlite），等同于\n"
                  "                                     taskparse convert 通知.pdf -o tasks.json\n"
                  "taskparse 通知/ -o out/               文件夹里的每个通知，按原目录结构写到 out/\n"
                  "taskparse 通知/ -o 台账.xlsx          整个文件夹写成一个台账（--update 更新已有台账）\n"
                  "taskparse - < 通知.txt                从标准输入读取\n"
                  "taskparse units 文件|文件夹 --unit 财政局  某个单位的任务\n"
                  "taskparse units 文件夹 --list         列出每个单位及其各种写法\n"
                  "taskparse due 文件夹 --before 2026-12-31  按完成时限列出任务\n"
                  "taskparse review 文件|文件夹 -o x.html  生成核对页，逐项对照原文",
                  "Turn task-division notices (责任分工 / 任务分解) into a task ledger.\n\n\b\n"
                  "taskparse notice.pdf -o tasks.json     one file (json, csv, jsonl, xlsx, sqlite); same as\n"
                  "                                       taskparse convert notice.pdf -o tasks.json\n"
                  "taskparse notices/ -o out/             every notice below a folder, mirrored into out/\n"
                  "taskparse notices/ -o ledger.xlsx      a whole folder into one ledger (--update to refresh it)\n"
                  "taskparse - < notice.txt               standard input\n"
                  "taskparse units FILE|DIR --unit 财政局  the tasks of one unit\n"
                  "taskparse units DIR --list             every unit, with the names printed for it\n"
                  "taskparse due DIR --before 2026-12-31  tasks by due date\n"
                  "taskparse review FILE|DIR -o x.html    a page to check the tasks against the notice"),
    "help.convert": ("把通知（文件、文件夹，或 - 表示标准输入）转成任务。",
                     "Convert notices (files, folders, or - for stdin) into tasks."),
    "help.units": ("按单位列出任务：每个单位牵头的任务和参与的任务。",
                   "List, for each unit, the tasks it leads and the tasks it shares."),
    "help.due": ("按完成时限（换算成日期）列出任务，已逾期的会标出。",
                 "List tasks by due date (完成时限 as a date), overdue ones marked."),
    "help.review": ("生成核对页：每项任务与原文并排，便于逐项核对。",
                    "A page to check a ledger against its notice: every task beside its source text."),
    "help.jobs": ("同时处理几个文件（进程数；默认为 CPU 核数）。", "Parallel processes for several files (default: number "
                  "of cores)."),
    "help.timeout": ("文件夹批量处理时，单个文件最多用时（秒），超时算作失败。", "Seconds one file may take in a folder "
                     "run before it counts as failed."),
    "help.memory": ("文件夹批量处理时，每个进程最多使用的内存（MB，0 表示不限；默认 2048，装了 OCR 扩展时 3072）；"
                    "超出的文件单独算作失败。",
                    "MB of memory one worker may use in a folder run (0: no limit; default 2048, 3072 with the OCR "
                    "extra); a file that needs more fails on its own."),
    "help.update": ("合并进已有的 .xlsx 台账，保留台账里手工填写的内容。", "Merge into an existing .xlsx ledger, keeping "
                    "what people wrote in it."),
    "help.force": ("覆盖已有的输出文件，即使它被改过或不是 taskparse 生成的（旧文件另存为 文件名.bak）。",
                   "Replace an existing output even if edited or not written by taskparse (the old file is kept as "
                   "NAME.bak)."),
    "help.follow_links": ("跟随指向输入文件夹之外的链接。", "Follow links that lead out of an input folder."),
    "help.aliases": ("单位名称对照表（CSV：印刷名称,规范名称[,地方]），在内置的简称、全称之外补充。",
                     "A CSV of unit names, printed,canonical[,place], on top of the built-in short and long forms."),
    "help.lang": ("提示和表头的语言：zh（默认）或 en（环境变量 LANG 以 en 开头时也用英文）。",
                  "Language of messages and of headers for people: zh (default) or en (also chosen by a LANG that "
                  "starts with en)."),
    "help.debug": ("出错时显示完整的调用栈（排查问题用）。", "Show tracebacks."),
    "help.output": ("输出文件（.json .csv .jsonl .xlsx .sqlite .db）或文件夹（以 / 结尾或已存在）。多个输入时：一个文件夹，"
                    "或一个合并的 .xlsx/.sqlite/.jsonl/.csv。默认：JSON 输出到屏幕。",
                    "Output file (.json .csv .jsonl .xlsx .sqlite .db) or a folder (ending in /, or existing). Several "
                    "inputs: a folder or one combined .xlsx/.sqlite/.jsonl/.csv. Default: JSON to stdout."),
    "help.format": ("输出格式（默认按 -o 的后缀，否则为 json）；须与后缀一致。", "Output format (default: from -o's suffix, "
                    "else json); must agree with the suffix."),
    "help.resume": ("跳过已经转换过的输入：输出比输入新（-o 文件夹/），或该文件已在数据库里（-o .sqlite）。",
                    "Skip inputs already done: output newer than the input (-o FOLDER/) or the file already in the "
                    "database (-o .sqlite)."),
    "help.verbose": ("汇总里列出每个文件，而不只是失败的。", "List every file in the summary, not only the failures."),
    "help.ocr": ("识别扫描页和图片（需先 pip install 'taskparse[ocr]'）：auto（默认）只识别没有文字层的页，always 识别每一页，"
                 "never 把扫描件报为错误。", "Recognise scanned pages and images (needs: pip install 'taskparse[ocr]'): "
                 "auto (default) = pages without text, always = every page, never = report scans as errors."),
    "help.unit": ("只看印刷名称或规范名称中含有这段文字的单位。", "Only units whose printed or canonical name contains this "
                  "text."),
    "help.list": ("列出每个单位（规范名称、各种写法、任务数）。", "List every unit (canonical name, printed forms, counts)."),
    "help.units_output": ("把按单位的表写入文件（.json .csv .jsonl .xlsx .sqlite）。", "Write the by-unit table to a file "
                          "(.json .csv .jsonl .xlsx .sqlite)."),
    "help.units_format": ("按单位的表的格式（默认：屏幕上显示表格，或按 -o 的后缀）。", "Format of the by-unit rows "
                          "(default: a table on the terminal, or from -o's suffix)."),
    "help.before": ("只看这一天（含）之前到期的任务（YYYY-MM-DD）。", "Only tasks due on or before this date (YYYY-MM-DD)."),
    "help.due_unit": ("只看涉及某单位的任务：印刷名称或规范名称中含有这段文字。", "Only tasks naming a unit whose printed "
                      "or canonical name contains this text."),
    "help.due_output": ("把清单写入文件（.json/.jsonl/.csv）。", "Write the list to a file (.json/.jsonl/.csv)."),
    "help.due_format": ("清单的格式（默认：屏幕上显示表格，或按 -o 的后缀）。", "Format of the list (default: a table on the "
                        "terminal, or from -o's suffix)."),
    "help.review_output": ("核对页（.html）；给文件夹时是一个文件夹，内含各页和 index.html。给文件时默认输出到屏幕。",
                           "The page (.html) for a file, or a folder of pages plus index.html for a folder. Default "
                           "for a file: stdout."),
    "help.review_format": ("html：核对页（默认）；json：带原文位置的任务和提取出的全文。", "html: the review page "
                           "(default); json: the tasks with their spans and the extracted text."),
    # --- parser warnings, by code (xlsx 提示/备注, stderr); params come from the library's message ---
    "warn.no_clause": ("任务 {item} 没有责任分工；因同级其他项有分工，仍列为任务", "item {item} has no responsibility "
                       "clause; kept as a task because items beside it have one"),
    "warn.skipped_number": ("“{heading}”下的编号不连续：缺第{expected}项", "numbering jumps under {heading}: expected "
                            "{expected}"),
    "warn.orphan_clause": ("这段责任分工前面没有任务：{text}", "a clause with no item before it: {text}"),
    "warn.text_after_clause": ("任务 {item} 的分工之后另有一行“{label}：”，已存入附加字段；如是另一项任务，请核对原文",
                               "in task {item}, a line “{label}:” follows the clause; kept in extra — if it is "
                               "another task, check the original"),
    "warn.unbalanced_bracket": ("任务 {item} 的责任分工括号不配对", "unbalanced bracket in the clause of {item}"),
    "warn.bold_lead_unknown": ("通知以黑体标明牵头单位，但此格式看不出黑体；牵头单位留空——请改用 .docx/.doc/.pdf 原件",
                               "the notice marks lead units in bold (黑体), which this input cannot show; lead_units "
                               "left empty — use the .docx/.doc/.pdf original"),
    "warn.mark_unexplained": ("单位名旁有“*”一类标记，但通知没有说明其含义；标记已去掉，单位照列——如标记表示牵头单位，请核对",
                              "units are marked with a sign such as * that the notice does not explain; the sign was "
                              "dropped and the units kept — check whether it marks the lead units"),
    "warn.empty_text": ("第{item}项只有责任分工、没有任务内容，未列为任务", "item {item} has only a clause and no task text; "
                        "left out of the tasks"),
    "warn.suspect_unit": ("任务 {item} 的分工中“{name}”不像单位或领导名称，未列入，请核对原文",
                          "in task {item}, “{name}” does not look like a unit or a leader and was left out — check the "
                          "original"),
    "warn.needs_ocr": ("第 {pages} 页没有可用的文字层（扫描或字体无编码），这些页的任务可能缺失",
                       "page(s) {pages} have no usable text layer (scan or fonts without a Unicode map); tasks there "
                       "may be missing"),
    "warn.no_tasks": ("没有找到任务：{reason}", "no tasks found: {reason}"),
    # --- xlsx headers and cells for people ---
    "xlsx.position.page": ("第{n}页", "p. {n}"),
    "xlsx.position.line": ("第{n}行", "line {n}"),
    "xlsx.position.item": ("第{n}项", "item {n}"),
    "xlsx.ok": ("成功", "converted"),
    "role.lead": ("牵头", "lead"),
    "role.unit": ("责任", "shared"),
    # --- units on the terminal ---
    "units.none": ("没有找到任何单位", "no units found"),
    "units.no_match": ("没有单位名称包含“{unit}”", "no unit matches {unit!r}"),
    "units.count": ("{units} 个单位，{rows} 行（单位-任务）", "{units} units, {rows} unit-task rows"),
    "units.head.unit": ("单位", "Unit"),
    "units.head.role": ("角色", "Role"),
    "units.head.id": ("编号", "Id"),
    "units.head.text": ("重点任务", "Task"),
    "units.head.deadline": ("完成时限", "Deadline"),
    "units.head.source": ("来源文件", "Source file"),
    "units.label_forms": ("{unit}\n印作 {forms}\n牵头 {lead} · 责任 {shared}",
                          "{unit}\nprinted as {forms}\nlead {lead} · shared {shared}"),
    "units.label": ("{unit}\n牵头 {lead} · 责任 {shared}", "{unit}\nlead {lead} · shared {shared}"),
}

# CSV headers for people (the column keys stay the stable names in the README)
CSV_HEADERS: dict[str, tuple[str, str]] = {
    "source": ("来源文件", "source"), "id": ("任务编号", "id"), "seq": ("序号", "seq"), "number": ("编号", "number"),
    "section": ("章节", "section"), "text": ("重点任务", "text"), "leaders": ("牵头领导", "leaders"),
    "lead_units": ("牵头单位", "lead_units"), "units": ("责任单位", "units"), "deadline": ("完成时限", "deadline"),
    "clause": ("原文条款", "clause"), "line": ("行/段", "line"), "page": ("页", "page"),
    "unit": ("单位", "unit"), "role": ("角色", "role"), "notice": ("通知标题", "notice"),
    "printed": ("印刷名称", "printed"), "lead_count": ("牵头任务数", "lead_count"), "unit_count": ("参与任务数", "unit_count"),
    "total": ("合计", "total"), "files": ("文件数", "files"),
}

# the library's English warning texts, to recover the parameters (each pattern anchored, no nested repeats)
_WARNING_PARAMS: dict[str, tuple[re.Pattern[str], ...]] = {
    "no_clause": (re.compile(r"item (?P<item>\S+) has no responsibility clause"),
                  re.compile(r"^任务 (?P<item>\S+) 没有责任分工")),
    "skipped_number": (re.compile(r"numbering jumps under (?P<heading>.*): expected (?P<expected>\S+)$", re.S),
                       re.compile(r"^“(?P<heading>[^”]*)”下的编号不连续：缺第(?P<expected>[^项]+)项")),
    "orphan_clause": (re.compile(r"a clause with no item before it: (?P<text>.*)$", re.S),
                      re.compile(r"^这段责任分工前面没有任务：(?P<text>.*)$", re.S)),
    "unbalanced_bracket": (re.compile(r"unbalanced bracket in the clause of (?P<item>\S+)"),
                           re.compile(r"^任务 (?P<item>\S+) 的责任分工括号不配对")),
    "empty_text": (re.compile(r"item (?P<item>\S+) has only a clause"),
                   re.compile(r"^第(?P<item>[^项]+)项只有责任分工")),
    "suspect_unit": (re.compile(r"^任务 (?P<item>\S+) 的分工中“(?P<name>[^”]*)”不像单位"),),
    "text_after_clause": (re.compile(r"^任务 (?P<item>\S+) 的分工之后另有一行“(?P<label>[^”：]*)："),
                          re.compile(r"in task (?P<item>\S+), a line “(?P<label>[^”:]*):")),
    "needs_ocr": (re.compile(r"pages? (?P<pages>[\d, .]+?) (?:has|have) "),),
}


def set_language(lang: str | None) -> None:
    """``zh``, ``en``, or None to follow the locale."""
    global _lang
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _lang = lang


def chosen_language() -> str | None:
    """What ``set_language`` was given (None: the locale decides)."""
    return _lang


def language() -> str:
    if _lang is not None:
        return _lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def t(key: str, **params: object) -> str:
    """The text of ``key`` in the current language, filled with ``params``."""
    zh, en = CATALOGUE[key]
    return (en if language() == "en" else zh).format(**params)


def header(column: str) -> str:
    """A CSV column header for people."""
    zh, en = CSV_HEADERS[column]
    return en if language() == "en" else zh


def warning_text(code: str, message: str) -> str:
    """A library warning for people: ``warn.<code>`` filled from the message, else the message."""
    key = f"warn.{code}"
    if code == "no_tasks":
        reason = next((k for k, (_, en) in CATALOGUE.items() if k.startswith("reason.") and en == message), None)
        return t(key, reason=t(reason)) if reason else message
    if key not in CATALOGUE:
        return message
    patterns = _WARNING_PARAMS.get(code)
    if patterns is None:
        return t(key) if "{" not in CATALOGUE[key][0] else message
    m = next((m for m in (p.search(message) for p in patterns) if m is not None), None)
    if m is None:
        return message
    params = {k: (v or "").strip() for k, v in m.groupdict().items()}
    if code == "skipped_number" and params.get("heading") == "the document":
        params["heading"] = "全文" if language() == "zh" else "the document"
    return t(key, **params)


# --- click's own messages (option parsing: "No such option", "Missing argument" …) in Chinese ----------
# click writes them through gettext; these are its message ids (click 8.x), each with its Chinese text
CLICK_ZH: dict[str, str] = {
    "No such option {name!r}.": "没有 {name!r} 这个选项。",
    "No such command {name!r}.": "没有 {name!r} 这个子命令。",
    "Did you mean {possibility}?": "是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是想用其中之一：{possibilities}？）",
    "(Possible options: {possibilities})": "（可用的选项：{possibilities}）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少子命令。",
    "Invalid value: {message}": "值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数值。",  # (click names the type in English)
    "{value} is not in the range {range}.": "{value} 不在 {range} 的范围内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Aborted!": "已中止。",
}


def _click_gettext(message: str) -> str:
    return CLICK_ZH.get(message, message) if language() == "zh" else message


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _click_gettext(singular if n == 1 else plural)


def install_click_messages() -> None:
    """Let click's own messages follow the catalogue's language (click looks ``_`` and ``ngettext`` up
    in its modules' globals at every call)."""
    import click.core
    import click.exceptions
    import click.parser
    import click.types

    for module in (click.core, click.exceptions, click.parser, click.types):
        if hasattr(module, "_"):
            setattr(module, "_", _click_gettext)
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _click_ngettext)
