// A real HTTP server on 127.0.0.1 that stands in for GitHub's REST API in the Action's tests: the
// endpoints the Action calls (pull request files, issue comments list/create/update, check runs
// create/update), paginated with `Link` headers as GitHub does, refusing on demand (403, 422, 429),
// and recording every request it receives. It checks what GitHub checks (at most 50 annotations per
// request, a comment of at most 65,536 characters, an authenticated caller) and answers 422 otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body, or null. */
  body: any;
  /** The status the server answered with. */
  status: number;
  /** When it arrived (Date.now()). */
  at: number;
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

export interface CheckRun {
  id: number;
  /** The create request's body, then each update's, in order. */
  requests: any[];
}

/** A refusal served instead of the endpoint's answer, to the next `times` requests it matches. */
export interface Refusal {
  method?: string;
  /** Matches the request path (e.g. /check-runs/). */
  path: RegExp;
  status: 403 | 422 | 429 | 500;
  headers?: Record<string, string>;
  message?: string;
  times: number;
}

/** The endpoint caps the pull request files list at 3,000, as GitHub does. */
const PR_FILES_CAP = 3000;
const MAX_COMMENT_CHARS = 65_536;

export class GitHubApi {
  readonly requests: RecordedRequest[] = [];
  /** Pull request number → its files, as the files endpoint lists them. */
  readonly pullFiles = new Map<number, Array<{ filename: string; status: string; previous_filename?: string }>>();
  /** Issue (pull request) number → its comments, oldest first. */
  readonly comments = new Map<number, Comment[]>();
  readonly checkRuns: CheckRun[] = [];
  /** Refuse every POST/PATCH with 403, as for a fork's read-only token. */
  readOnly = false;
  private refusals: Refusal[] = [];
  private nextId = 1000;
  private server: Server;
  url = "";

  constructor(readonly token: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  refuse(refusal: Refusal): void {
    this.refusals.push({ ...refusal });
  }

  /** Requests other than the listing GETs, i.e. the writes, as `METHOD path`. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  addComments(issue: number, bodies: string[]): Comment[] {
    const list = this.comments.get(issue) ?? [];
    for (const body of bodies) list.push({ id: this.nextId++, body, user: { login: "someone" } });
    this.comments.set(issue, list);
    return list;
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: any = null;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = { unparsable: text };
    }
    const record: RecordedRequest = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0, at: Date.now() };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `token ${this.token}` && req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, { message: "Bad credentials" });
    }
    const refusal = this.refusals.find((r) => r.times > 0 && r.path.test(url.pathname) && (r.method === undefined || r.method === req.method));
    if (refusal) {
      refusal.times--;
      return send(refusal.status, { message: refusal.message ?? "refused on demand" }, refusal.headers);
    }
    const write = req.method === "POST" || req.method === "PATCH";
    if (write && this.readOnly) return send(403, { message: "Resource not accessible by integration" });

    let m: RegExpMatchArray | null;
    if (req.method === "GET" && (m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/))) {
      const files = (this.pullFiles.get(Number(m[1])) ?? []).slice(0, PR_FILES_CAP);
      return this.page(url, files, send);
    }
    if (req.method === "GET" && (m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/))) {
      return this.page(url, this.comments.get(Number(m[1])) ?? [], send);
    }
    if (req.method === "POST" && (m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/))) {
      if (!this.validComment(body, send)) return;
      const [comment] = this.addComments(Number(m[1]), [body.body]).slice(-1);
      return send(201, comment);
    }
    if (req.method === "PATCH" && (m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/))) {
      const comment = [...this.comments.values()].flat().find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: "Not Found" });
      if (!this.validComment(body, send)) return;
      comment.body = body.body;
      return send(200, comment);
    }
    if (req.method === "POST" && url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/check-runs$/)) {
      if (!this.validCheckRun(body, send, true)) return;
      const run = { id: this.nextId++, requests: [body] };
      this.checkRuns.push(run);
      return send(201, { id: run.id, name: body.name, head_sha: body.head_sha, status: body.status, conclusion: body.conclusion ?? null });
    }
    if (req.method === "PATCH" && (m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/))) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return send(404, { message: "Not Found" });
      if (!this.validCheckRun(body, send, false)) return;
      run.requests.push(body);
      return send(200, { id: run.id });
    }
    return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  }

  /** GitHub's pagination: `per_page` (at most 100), `page`, and a Link header with next/last. */
  private page(url: URL, items: readonly unknown[], send: (status: number, payload: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
    const page = Number(url.searchParams.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url.toString());
      target.host = new URL(this.url).host;
      target.searchParams.set("page", String(n));
      return `<${target.toString()}>; rel="${rel}"`;
    };
    const links = [...(page < last ? [link(page + 1, "next"), link(last, "last")] : []), ...(page > 1 ? [link(1, "first"), link(page - 1, "prev")] : [])];
    send(200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(", ") } : {});
  }

  private validComment(body: any, send: (status: number, payload: unknown) => void): boolean {
    if (typeof body?.body !== "string" || body.body.length > MAX_COMMENT_CHARS) {
      send(422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }] });
      return false;
    }
    return true;
  }

  private validCheckRun(body: any, send: (status: number, payload: unknown) => void, create: boolean): boolean {
    const annotations = body?.output?.annotations ?? [];
    const problem =
      create && (typeof body?.name !== "string" || typeof body?.head_sha !== "string") ? "name and head_sha are required" :
      annotations.length > 50 ? "Only 50 annotations are allowed per request" :
      body?.status === "completed" && !body?.conclusion ? "conclusion is required when status is completed" :
      annotations.some((a: any) => !a.path || !a.start_line || !a.end_line || !["notice", "warning", "failure"].includes(a.annotation_level) || !a.message) ? "annotation lacks path, start_line, end_line, annotation_level or message" :
      null;
    if (problem) {
      send(422, { message: `Validation Failed: ${problem}` });
      return false;
    }
    return true;
  }
}
