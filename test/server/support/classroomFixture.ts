import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  instructorCall,
  instructorLogin,
  join,
  learnerCall,
  type ClassInfo,
  type Instructor,
  type LabSessionJson,
} from './classroomClient';
import { startTestServer, wsUrl, type TestServer, type TestServerOptions } from './testServer';

/** What a class is created with; the server's defaults stand for what is left out. */
export interface NewClass {
  labId?: string;
  expectedSize?: number;
}

/**
 * What classroom tests set up before they say anything: a real test server (its own data
 * directory and namespace) with an instructor signed in, and the instructor's and learners'
 * moves as one-liners (create a class, join it, start its lab, open its dashboard).
 */
export class ClassroomFixture {
  private constructor(
    readonly server: TestServer,
    /** The instructor's password, set for this server only. */
    readonly password: string,
    readonly instructor: Instructor,
  ) {}

  /** Starts the server (`env` on top of the test defaults) and signs the instructor in. */
  static async start(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<ClassroomFixture> {
    const password = `instructor-${randomUUID()}`;
    const server = await startTestServer({ INSTRUCTOR_PASSWORD: password, ...env }, options);
    try {
      return new ClassroomFixture(server, password, await instructorLogin(server.url, password));
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  /** The server's base URL. */
  get url(): string {
    return this.server.url;
  }

  /** The server's lab sessions, as tests look into them. */
  get sessions(): TestServer['sessions'] {
    return this.server.sessions;
  }

  /** The server's Docker runtime: what really runs. */
  get runtime(): TestServer['runtime'] {
    return this.server.runtime;
  }

  /** The instructor calls the API (signed in, with the CSRF token); a refusal throws `HTTP <status>`. */
  call<T>(route: string, method = 'GET', body?: unknown): Promise<T> {
    return instructorCall<T>(this.url, this.instructor, route, method, body);
  }

  createClass(name: string, options: NewClass = {}): Promise<ClassInfo> {
    return this.call<ClassInfo>('/api/instructor/classes', 'POST', { name, ...options });
  }

  async endClass(cls: ClassInfo): Promise<void> {
    await this.call(`/api/instructor/classes/${cls.class.id}/end`, 'POST');
  }

  /** The class as the instructor's dashboard reads it: its learners, their labs and steps. */
  classView(cls: ClassInfo): Promise<ClassInfo> {
    return this.call<ClassInfo>(`/api/instructor/classes/${cls.class.id}`);
  }

  /** Joins the class under a display name; resolves with the learner's cookie. */
  join(cls: ClassInfo, displayName: string): Promise<string> {
    return join(this.url, cls.class.joinCode, displayName);
  }

  /** The learner id of the class's learner shown under `displayName`. */
  async learnerId(cls: ClassInfo, displayName: string): Promise<string> {
    const found = (await this.classView(cls)).learners.find((l) => l.displayName === displayName);
    if (!found) throw new Error(`no learner ${displayName} in class ${cls.class.id}`);
    return found.id;
  }

  /** A learner asks to start a lab: the server's answer as it is, refusals included. */
  askToStartLab(cookie: string, labId: string): Promise<Response> {
    return fetch(`${this.url}/api/labs/${labId}/sessions`, { method: 'POST', headers: { cookie } });
  }

  /** A learner starts a lab; a refusal throws `HTTP <status>`. */
  startLab(cookie: string, labId: string): Promise<LabSessionJson> {
    return learnerCall<LabSessionJson>(this.url, cookie, `/api/labs/${labId}/sessions`, 'POST');
  }

  /**
   * Opens the instructor's dashboard socket of a class; `onMessage` hears every frame from the
   * first (the class's snapshot) on. Resolves once the socket is open.
   */
  async openDashboard(cls: ClassInfo, onMessage?: (data: Buffer) => void): Promise<WebSocket> {
    const socket = new WebSocket(wsUrl(this.url, `/ws/instructor/classes/${cls.class.id}`), {
      headers: { cookie: this.instructor.cookie },
      origin: this.url,
    });
    if (onMessage) socket.on('message', onMessage);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  /** Ends every lab the server started and stops it. */
  close(): Promise<void> {
    return this.server.close();
  }
}
