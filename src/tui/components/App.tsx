// The UI's root: the list, attempt detail, event detail and case panes, the overlays (help,
// filter, search, export) and the one key handler that routes keys by what is on screen.
import { Box, Text, useApp, type Key } from 'ink';
import { useCallback, useMemo, useState } from 'react';
import type { EventRef } from '../../model/analysis.js';
import type { AnalysisDocument } from '../../model/report.js';
import { buildAttemptLines } from '../detailLines.js';
import { buildEventLines } from '../eventLines.js';
import { exportAttempt, type ExportFormat } from '../exportAttempt.js';
import { resolveZone } from '../format.js';
import { buildCaseLines } from '../caseLines.js';
import type { Line } from '../lines.js';
import { buildRows, describeFilter, filterOptions, query, SORT_FIELDS, type ListFilter, type SortField } from '../listModel.js';
import type { TuiEvent, TuiOptions } from '../options.js';
import { readRawSource } from '../rawSource.js';
import { hostName, inline } from '../safe.js';
import { truncate } from '../text.js';
import { useKeyQueue } from '../hooks/useKeyQueue.js';
import { MIN_SIZE, useTerminalSize } from '../hooks/useTerminalSize.js';
import { useTheme, type Tone } from '../theme.js';
import { AttemptList } from './AttemptList.js';
import { FilterMenu } from './FilterMenu.js';
import { Header, HEADER_HEIGHT } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { clampTop, LineView } from './LineView.js';

type View = { kind: 'list' } | { kind: 'attempt'; index: number } | { kind: 'event'; ref: EventRef; index: number } | { kind: 'case' };
type Overlay = 'none' | 'help' | 'filter' | 'search' | 'export';

interface Pane {
  cursor: number;
  top: number;
}

export interface AppProps {
  doc: AnalysisDocument;
  opts: TuiOptions;
}

/** The event with its raw record: as the caller gave it, or read again from the source file. */
function withRaw(e: TuiEvent | undefined): TuiEvent | undefined {
  if (!e || e.raw !== undefined) return e;
  const r = readRawSource(e);
  return { ...e, ...(r.raw !== undefined ? { raw: r.raw } : {}), rawNote: e.rawNote ?? r.note };
}

function isBack(input: string, key: Key): boolean {
  return key.escape || key.backspace || key.delete;
}

function moveBy(input: string, key: Key, page: number): number | 'first' | 'last' | undefined {
  if (key.upArrow || input === 'k') return -1;
  if (key.downArrow || input === 'j') return 1;
  if (key.pageUp) return -page;
  if (key.pageDown || input === ' ') return page;
  if (key.home || input === 'g') return 'first';
  if (key.end || input === 'G') return 'last';
  return undefined;
}

function step(cur: number, mv: number | 'first' | 'last', total: number): number {
  if (total <= 0) return 0;
  if (mv === 'first') return 0;
  if (mv === 'last') return total - 1;
  return Math.min(total - 1, Math.max(0, cur + mv));
}

export function App({ doc, opts }: AppProps) {
  const { exit } = useApp();
  const theme = useTheme();
  const actual = useTerminalSize();
  const tooSmall = actual.columns < MIN_SIZE.columns || actual.rows < MIN_SIZE.rows;
  const width = Math.max(MIN_SIZE.columns, actual.columns);
  const termRows = Math.max(MIN_SIZE.rows, actual.rows);
  const zone = useMemo(() => resolveZone(opts.tz), [opts.tz]);
  // One line is left free: output as tall as the terminal makes ink clear the whole screen per frame.
  const bodyHeight = termRows - 1;

  const allRows = useMemo(() => buildRows(doc), [doc]);
  const [sort, setSort] = useState<SortField>('time');
  const [descending, setDescending] = useState(false);
  const [filter, setFilter] = useState<ListFilter>({});
  const [search, setSearch] = useState('');
  const [searchBefore, setSearchBefore] = useState('');
  const rows = useMemo(() => query(allRows, { sort, descending, filter, search }), [allRows, sort, descending, filter, search]);
  const fOptions = useMemo(() => filterOptions(allRows), [allRows]);

  const [list, setList] = useState<Pane>({ cursor: 0, top: 0 });
  const [stack, setStack] = useState<View[]>([{ kind: 'list' }]);
  const view = stack[stack.length - 1] ?? { kind: 'list' };
  const [panes, setPanes] = useState<Record<string, Pane>>({});
  const [overlay, setOverlay] = useState<Overlay>('none');
  const [menuCursor, setMenuCursor] = useState(0);
  const [status, setStatus] = useState<{ text: string; tone?: Tone }>({ text: '' });

  const listHeight = Math.max(3, bodyHeight - HEADER_HEIGHT - 1 - 2);
  const paneHeight = Math.max(3, bodyHeight - 3);
  const listCursor = Math.min(list.cursor, Math.max(0, rows.length - 1));
  const listTop = clampTop(list.top, listCursor, listHeight, rows.length);

  const attemptIndex = view.kind === 'attempt' || view.kind === 'event' ? view.index : (rows[listCursor]?.index ?? -1);
  const attempt = attemptIndex >= 0 ? doc.attempts[attemptIndex] : undefined;

  const paneLines: Line[] = useMemo(() => {
    if (view.kind === 'attempt' && attempt) return buildAttemptLines(doc, attempt, zone, width - 2);
    if (view.kind === 'event') return buildEventLines(view.ref, withRaw(opts.getEvent?.(view.ref.eventId)), attempt, opts, zone, width);
    if (view.kind === 'case') return buildCaseLines(doc, width);
    return [];
  }, [view, attempt, doc, zone, width, opts]);
  const paneKey = view.kind === 'attempt' ? `a${view.index}` : view.kind === 'event' ? `e${view.ref.eventId}` : view.kind;
  const pane = panes[paneKey] ?? { cursor: view.kind === 'attempt' ? 0 : -1, top: 0 };
  const selectable = view.kind === 'attempt';
  const paneTop = clampTop(pane.top, selectable ? pane.cursor : -1, paneHeight, paneLines.length);

  const setPane = useCallback((k: string, p: Pane) => setPanes((prev) => ({ ...prev, [k]: p })), []);
  const push = (v: View): void => setStack((s) => [...s, v]);
  const back = (): void => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));

  const doExport = (format: ExportFormat): void => {
    if (!attempt) return;
    try {
      const path = exportAttempt(doc, attempt, format, opts.exportDir ?? process.cwd(), zone);
      setStatus({ text: `exported ${format} to ${inline(path)}`, tone: 'ok' });
    } catch (err) {
      setStatus({ text: `export failed: ${inline((err as Error).message)}`, tone: 'fail' });
    }
  };

  useKeyQueue((input, key) => {
    if (overlay === 'help') {
      setOverlay('none');
      return;
    }
    if (overlay === 'search') {
      if (key.return) {
        setOverlay('none');
        setStatus({ text: search ? `search: ${rows.length} of ${allRows.length} attempts match` : '' });
      } else if (key.escape) {
        setSearch(searchBefore);
        setOverlay('none');
      } else if (key.backspace || key.delete) {
        setSearch((s) => s.slice(0, -1));
        setList({ cursor: 0, top: 0 });
      } else if (input && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow) {
        // Pasted text may carry controls: keep printable characters only.
        const clean = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
        if (clean) {
          setSearch((s) => (s + clean).slice(0, 200));
          setList({ cursor: 0, top: 0 });
        }
      }
      return;
    }
    if (overlay === 'filter') {
      const total = fOptions.length + 1;
      const mv = moveBy(input, key, 5);
      if (mv !== undefined) setMenuCursor((c) => step(c, mv, total));
      else if (key.return) {
        const opt = fOptions[menuCursor - 1];
        setFilter((f) => (opt ? { ...f, ...opt.apply } : {}));
        setList({ cursor: 0, top: 0 });
        setOverlay('none');
      } else if (isBack(input, key) || input === 'f' || input === 'q') setOverlay('none');
      return;
    }
    if (overlay === 'export') {
      if (input === 'j') doExport('json');
      else if (input === 't') doExport('text');
      else setStatus({ text: 'export cancelled' });
      setOverlay('none');
      return;
    }

    if (input === 'q') {
      exit();
      return;
    }
    if (input === '?') {
      setOverlay('help');
      return;
    }
    if (input === 'w' && view.kind !== 'case') {
      push({ kind: 'case' });
      return;
    }
    if (input === 'e' && attempt && view.kind !== 'case') {
      setOverlay('export');
      setStatus({ text: `export attempt ${inline(attempt.id)} as (j)son or (t)ext? any other key cancels` });
      return;
    }

    if (view.kind === 'list') {
      const mv = moveBy(input, key, listHeight);
      if (mv !== undefined) {
        const c = step(listCursor, mv, rows.length);
        setList({ cursor: c, top: clampTop(listTop, c, listHeight, rows.length) });
      } else if (key.return && attempt) {
        setStatus({ text: '' });
        push({ kind: 'attempt', index: attempt ? attemptIndex : 0 });
      } else if (input === '/') {
        setSearchBefore(search);
        setOverlay('search');
      } else if (input === 'f') {
        setMenuCursor(0);
        setOverlay('filter');
      } else if (input === 's') {
        setSort((s) => SORT_FIELDS[(SORT_FIELDS.indexOf(s) + 1) % SORT_FIELDS.length] ?? 'time');
      } else if (input === 'S') {
        setDescending((d) => !d);
      } else if (key.escape && (search || describeFilter(filter))) {
        setSearch('');
        setFilter({});
        setStatus({ text: 'search and filters cleared' });
      }
      return;
    }

    if (isBack(input, key)) {
      back();
      return;
    }
    const mv = moveBy(input, key, paneHeight);
    if (selectable) {
      let c = pane.cursor;
      if (mv !== undefined) c = step(c, mv, paneLines.length);
      else if (key.tab || input === 'n' || input === 'N') {
        const dir = input === 'N' || key.shift ? -1 : 1;
        for (let i = c + dir; i >= 0 && i < paneLines.length; i += dir) {
          if (paneLines[i]?.event) {
            c = i;
            break;
          }
        }
      } else if (key.return) {
        const ev = paneLines[c]?.event;
        if (ev && view.kind === 'attempt') push({ kind: 'event', ref: ev, index: view.index });
        else setStatus({ text: 'this line points at no event (Tab jumps to the next one)' });
        return;
      }
      setPane(paneKey, { cursor: c, top: clampTop(paneTop, c, paneHeight, paneLines.length) });
    } else if (mv !== undefined) {
      const maxTop = Math.max(0, paneLines.length - paneHeight);
      const t = mv === 'first' ? 0 : mv === 'last' ? maxTop : Math.min(maxTop, Math.max(0, paneTop + mv));
      setPane(paneKey, { cursor: -1, top: t });
    }
  });

  const listState = [
    `sort: ${sort} ${descending ? '↓' : '↑'}`,
    describeFilter(filter) ? `filter: ${describeFilter(filter)}` : '',
    search ? `search: "${inline(search)}"` : '',
    `showing ${rows.length} of ${allRows.length}`,
  ]
    .filter(Boolean)
    .join(' · ');

  const crumbs =
    view.kind === 'list'
      ? ''
      : view.kind === 'case'
        ? 'rdpdoctor › case'
        : `rdpdoctor › attempt ${inline(attempt?.id ?? '')}${view.kind === 'event' ? ` › event ${view.ref.id} (${hostName(view.ref.host)})` : ''}`;
  const position = paneLines.length > paneHeight ? ` [${paneTop + 1}-${Math.min(paneLines.length, paneTop + paneHeight)}/${paneLines.length}]` : '';

  const hints =
    overlay === 'search'
      ? 'type to search · Enter keep · Esc cancel'
      : view.kind === 'list'
        ? '↑↓ move · Enter open · / search · f filter · s sort · e export · w case · ? help · q quit'
        : view.kind === 'attempt'
          ? '↑↓ move · Tab next event · Enter event · Esc back · e export · ? help · q quit'
          : '↑↓ scroll · Esc back · ? help · q quit';

  const bottom =
    overlay === 'search' ? (
      <Text wrap="truncate-end">
        <Text color={theme.tone('accent')}>/</Text>
        <Text>{inline(search)}</Text>
        <Text inverse> </Text>
        <Text color={theme.tone('muted')}>{`  ${rows.length} match`}</Text>
      </Text>
    ) : (
      <Text color={theme.tone(status.tone)} wrap="truncate-end">
        {status.text || ' '}
      </Text>
    );

  let body;
  if (overlay === 'help') body = <HelpOverlay width={width} height={bodyHeight - 2} />;
  else if (overlay === 'filter') body = <FilterMenu options={fOptions} cursor={menuCursor} width={width} height={bodyHeight - 2} />;
  else if (view.kind === 'list')
    body = (
      <Box flexDirection="column">
        <Header doc={doc} width={width} listState={listState} />
        <AttemptList
          rows={rows}
          cursor={listCursor}
          top={listTop}
          height={listHeight}
          width={width}
          zone={zone}
          emptyText={allRows.length ? 'no attempt matches the search/filter (Esc clears)' : inline(doc.summary.noAttemptsReason ?? 'no connection attempts in this case')}
        />
      </Box>
    );
  else
    body = (
      <Box flexDirection="column">
        <Text color={theme.tone('accent')} bold wrap="truncate-end">
          {truncate(crumbs + position, width)}
        </Text>
        <LineView lines={paneLines} top={paneTop} height={paneHeight} cursor={selectable ? pane.cursor : -1} />
      </Box>
    );

  if (tooSmall) {
    // Keys still work (q quits); drawing a clipped layout would only garble the terminal.
    return (
      <Text>{`rdpdoctor needs at least ${MIN_SIZE.columns}×${MIN_SIZE.rows}, this terminal is ${actual.columns}×${actual.rows}: enlarge it or press q`}</Text>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={bodyHeight} overflow="hidden">
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {body}
      </Box>
      {bottom}
      <Text color={theme.tone('muted')} wrap="truncate-end">
        {hints}
      </Text>
    </Box>
  );
}
