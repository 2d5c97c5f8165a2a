import { ClockworkError } from '../../api/index.ts';
import type Docker from 'dockerode';
import { dockerMessage, statusCode } from './docker-errors.ts';

/** The image could not be found locally nor pulled: the Resource cannot start. */
export class ImagePullError extends ClockworkError {
  readonly image: string;

  constructor(image: string, resource: string, reason: string) {
    super(`image "${image}" of resource "${resource}" is not present locally and could not be pulled: ${reason}`);
    this.image = image;
  }
}

/** `busybox` → `busybox:latest` (the API pulls every tag when none is given). */
export function withTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

/** Makes images present: pulled when missing (with progress), each at most once at a time. */
export class ImagePuller {
  readonly #docker: Docker;
  readonly #progress: (image: string, message: string) => void;
  readonly #pulls = new Map<string, Promise<void>>();

  constructor(docker: Docker, progress: (image: string, message: string) => void) {
    this.#docker = docker;
    this.#progress = progress;
  }

  async ensure(image: string, resource: string): Promise<void> {
    if (await this.#present(image)) return;
    const ref = withTag(image);
    let pull = this.#pulls.get(ref);
    if (!pull) {
      pull = this.#pull(ref).finally(() => this.#pulls.delete(ref));
      this.#pulls.set(ref, pull);
    }
    try {
      await pull;
    } catch (error) {
      throw new ImagePullError(image, resource, dockerMessage(error));
    }
  }

  async #present(image: string): Promise<boolean> {
    try {
      await this.#docker.getImage(image).inspect();
      return true;
    } catch (error) {
      if (statusCode(error) === 404) return false;
      throw error;
    }
  }

  async #pull(ref: string): Promise<void> {
    this.#progress(ref, 'pulling');
    const stream = (await this.#docker.pull(ref)) as NodeJS.ReadableStream;
    let last = '';
    await new Promise<void>((resolve, reject) =>
      this.#docker.modem.followProgress(
        stream,
        (error: Error | null, output: { error?: string }[]) => {
          const failed = error ?? output?.find((o) => o.error);
          if (failed) reject(failed instanceof Error ? failed : new Error((failed as { error: string }).error));
          else resolve();
        },
        (event: { status?: string; progress?: string; id?: string }) => {
          const line = [event.id, event.status, event.progress].filter(Boolean).join(' ');
          if (event.status && event.status !== last && !event.progress) this.#progress(ref, line);
          last = event.status ?? last;
        },
      ),
    );
    this.#progress(ref, 'pulled');
  }
}
