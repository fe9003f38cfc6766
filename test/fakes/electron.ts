/**
 * Fake of the parts of the `electron` module that the shell and the preload
 * use. Electron's binary is not installed on the build machines, so tests
 * replace the module with `vi.mock('electron', () => import('../../fakes/electron'))`
 * and inspect what the code did through the exported recorders below.
 * Call `resetElectronFake()` in `beforeEach`.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

export interface MenuItemTemplate {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export class Menu {
  constructor(readonly template: MenuItemTemplate[]) {}

  static buildFromTemplate(template: MenuItemTemplate[]): Menu {
    return new Menu(template);
  }
}

export class FakeNativeImage {
  templateImage = false;

  constructor(readonly path: string) {}

  setTemplateImage(value: boolean): void {
    this.templateImage = value;
  }

  isEmpty(): boolean {
    return false;
  }
}

export const nativeImage = {
  createFromPath: (file: string) => new FakeNativeImage(file),
};

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  title = '';
  titleOptions: unknown;
  toolTip = '';
  contextMenu: Menu | null = null;
  poppedUpMenus: Menu[] = [];
  destroyed = false;

  constructor(readonly image: FakeNativeImage) {
    super();
    Tray.instances.push(this);
  }

  setTitle(title: string, options?: unknown): void {
    this.title = title;
    this.titleOptions = options;
  }

  setToolTip(text: string): void {
    this.toolTip = text;
  }

  setContextMenu(menu: Menu | null): void {
    this.contextMenu = menu;
  }

  popUpContextMenu(menu?: Menu): void {
    if (menu) this.poppedUpMenus.push(menu);
  }

  destroy(): void {
    this.destroyed = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeWebFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly mainFrame = new FakeWebFrame('');
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  getURL(): string {
    return this.mainFrame.url;
  }

  isLoading(): boolean {
    return false;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Test helper: emits a navigation event for `url` and returns whether a listener called `preventDefault()`. */
  simulateNavigation(eventName: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): boolean {
    let prevented = false;
    this.emit(eventName, { url, preventDefault: () => (prevented = true) }, url);

    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrls: string[] = [];
  visible = false;
  focused = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((window) => !window.destroyed);
  }

  async loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.mainFrame.url = url;
    this.webContents.emit('did-finish-load');
  }

  async loadFile(file: string, options?: { hash?: string }): Promise<void> {
    const url = `file://${file}${options?.hash ? `#${options.hash}` : ''}`;
    await this.loadURL(url);
  }

  show(): void {
    this.visible = true;
  }

  hide(): void {
    this.visible = false;
  }

  focus(): void {
    this.focused = true;
  }

  isVisible(): boolean {
    return this.visible;
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }

  /** Test helper: emits `close` as a click on the close button does and returns whether it was prevented. */
  simulateClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();

    return prevented;
  }
}

export interface FakeIpcMainEvent {
  sender: FakeWebContents;
  senderFrame: FakeWebFrame | null;
}

class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Test helper: calls the handler of `channel` as `ipcRenderer.invoke` from a frame at `frameUrl` would. */
  async invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);

    const sender = new FakeWebContents();
    const event: FakeIpcMainEvent = { sender, senderFrame: frameUrl === null ? null : new FakeWebFrame(frameUrl) };

    return handler(event, ...args);
  }
}

export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  invokeResult: unknown = { ok: true, value: null };

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });

    return this.invokeResult;
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(name: string, api: unknown): void {
    this.exposed.set(name, api);
  },
};

export class Notification extends EventEmitter {
  static instances: Notification[] = [];
  static supported = true;
  shown = false;
  closed = false;

  constructor(readonly options: { title: string; body?: string; silent?: boolean }) {
    super();
    Notification.instances.push(this);
  }

  static isSupported(): boolean {
    return Notification.supported;
  }

  show(): void {
    this.shown = true;
  }

  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

export const shell = {
  openedExternal: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.openedExternal.push(url);
  },
};

export const dialog = {
  calls: [] as unknown[][],
  errorBoxes: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  },
  nextResult: { canceled: true, filePaths: [] as string[] },
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.calls.push(args);

    return this.nextResult;
  },
};

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

class FakeSession {
  headersListener: HeadersListener | null = null;
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener | null) => {
      this.headersListener = listener;
    },
  };

  setPermissionRequestHandler(handler: Listener | null): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: Listener | null): void {
    this.permissionCheckHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };

class FakeApp extends EventEmitter {
  singleInstanceLock = true;
  quitCalls = 0;
  exitCode: number | null = null;
  dockHidden = false;
  appPath = '/fake/app';
  isPackaged = false;
  readonly dock = {
    hide: () => {
      this.dockHidden = true;
    },
  };

  focus(): void {}

  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  getAppPath(): string {
    return this.appPath;
  }

  quit(): void {
    this.quitCalls++;
  }

  exit(code = 0): void {
    this.exitCode = code;
  }
}

export const app = new FakeApp();

/** Clears everything the fake recorded, so that each test starts from a fresh Electron. */
export function resetElectronFake(): void {
  Tray.instances = [];
  BrowserWindow.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations.length = 0;
  ipcRenderer.invokeResult = { ok: true, value: null };
  contextBridge.exposed.clear();
  dialog.calls.length = 0;
  shell.openedExternal.length = 0;
  dialog.errorBoxes.length = 0;
  dialog.nextResult = { canceled: true, filePaths: [] };
  session.defaultSession = new FakeSession();
  app.removeAllListeners();
  app.singleInstanceLock = true;
  app.quitCalls = 0;
  app.exitCode = null;
  app.dockHidden = false;
}

export default {
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  nativeImage,
  Notification,
  session,
  shell,
  Tray,
};
