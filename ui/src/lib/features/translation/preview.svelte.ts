import {
  BackendError,
  type Backend,
  type Loss,
  type ResourceKind,
  type Severity,
  type Target,
  type TranslationQuery,
  type TranslationReport,
  type TranslationSummary,
} from '$lib/ipc';

/** Plain words for how much a reader must care, so colour is never the only signal. */
export const SEVERITY: Record<Severity, { label: string; tone: 'danger' | 'warn' | 'muted' }> = {
  loss: { label: 'Lost — needs a person', tone: 'danger' },
  warning: { label: 'Check', tone: 'warn' },
  note: { label: 'Note', tone: 'muted' },
};

/** The targets a reviewer can switch between for an email template. */
export const TEMPLATE_TARGETS: { label: string; target: Target }[] = [
  { label: 'Connect', target: { service: 'connect' } },
  { label: 'SES (Pinpoint paths)', target: { service: 'ses', paths: 'keep' } },
  { label: 'SES (profile paths)', target: { service: 'ses', paths: 'rewrite' } },
];

export function sameTarget(a: Target, b: Target): boolean {
  return a.service === b.service && (a.service === 'connect' || (b.service === 'ses' && a.paths === b.paths));
}

/** What a summary line of the blueprint asks the back end to translate. */
export function queryOf(s: TranslationSummary): TranslationQuery {
  const target: Target = s.target === 'SES' ? { service: 'ses', paths: 'keep' } : { service: 'connect' };
  return { kind: s.kind as ResourceKind, name: s.id, target };
}

/** "2 lost, 1 to check" — or that everything carries over. */
export function needsWords(s: { losses: number; warnings: number }): string {
  const parts: string[] = [];
  if (s.losses > 0) parts.push(`${s.losses} lost`);
  if (s.warnings > 0) parts.push(`${s.warnings} to check`);
  return parts.length > 0 ? parts.join(', ') : 'carries over';
}

/** Losses first, then warnings, then notes. */
export function ordered(losses: Loss[]): Loss[] {
  const rank: Record<Severity, number> = { loss: 0, warning: 1, note: 2 };
  return [...losses].sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** The side-by-side preview of one translation, with its proof. */
export class TranslationPreview {
  query = $state<TranslationQuery | null>(null);
  report = $state<TranslationReport | null>(null);
  loading = $state(false);
  error = $state<BackendError | null>(null);

  constructor(private readonly backend: Backend) {}

  get open(): boolean {
    return this.query !== null;
  }

  /** Which request is current: an answer to an older one (the reviewer switched target) is dropped. */
  private request = 0;

  async show(query: TranslationQuery): Promise<void> {
    const request = ++this.request;
    this.query = query;
    this.report = null;
    this.error = null;
    this.loading = true;
    try {
      const report = await this.backend.translation(query);
      if (request === this.request) this.report = report;
    } catch (e) {
      if (request === this.request) this.error = BackendError.from(e);
    } finally {
      if (request === this.request) this.loading = false;
    }
  }

  switchTarget(target: Target): Promise<void> {
    if (!this.query) return Promise.resolve();
    return this.show({ ...this.query, target });
  }

  close(): void {
    this.request++;
    this.query = null;
    this.report = null;
    this.error = null;
    this.loading = false;
  }
}
