import type Docker from 'dockerode';

export interface LocalImage {
  readonly id: string;
  readonly tags: readonly string[];
  readonly sizeBytes: number;
  readonly created: number;
}

/** The engine's images, newest first (untagged ones too, with no tags). */
export async function listLocalImages(docker: Docker): Promise<LocalImage[]> {
  const images = await docker.listImages();
  return images
    .map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), sizeBytes: i.Size, created: i.Created * 1000 }))
    .sort((a, b) => b.created - a.created);
}
