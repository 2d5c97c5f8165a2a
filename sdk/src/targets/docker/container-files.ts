import type Docker from 'dockerode';
import { firstFileOf } from './tar.ts';

/** A file as the container sees it now (through the engine's archive endpoint); undefined when it is not there. */
export async function readContainerFile(container: Docker.Container, path: string): Promise<string | undefined> {
  try {
    const archive = (await container.getArchive({ path })) as unknown as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    return firstFileOf(Buffer.concat(chunks))?.toString('utf8');
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
