/**
 * Prints the images the catalog's topologies name, one per line: "<image> <context> <Dockerfile>".
 * A lab's own image lives with the lab (labs/<lab>/images/<image>/Dockerfile, built in
 * labs/<lab>/images); the shared ones in docker/<image>/Dockerfile, built in docker/.
 * scripts/lib/prereqs.sh builds what this lists.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { catalog } from '../labs';

const root = path.resolve(import.meta.dirname, '..');

function buildOf(image: string): { context: string; dockerfile: string } {
  for (const lab of readdirSync(path.join(root, 'labs'))) {
    const context = path.join('labs', lab, 'images');
    if (existsSync(path.join(root, context, image, 'Dockerfile')))
      return { context, dockerfile: path.join(context, image, 'Dockerfile') };
  }
  const dockerfile = path.join('docker', image, 'Dockerfile');
  if (!existsSync(path.join(root, dockerfile)))
    throw new Error(`no Dockerfile for image "${image}" in labs/*/images/ or docker/`);
  return { context: 'docker', dockerfile };
}

const images = [...new Set(catalog.list().flatMap((lab) => lab.topology.machines.map((m) => m.image)))].sort();
for (const image of images) {
  const { context, dockerfile } = buildOf(image);
  console.log(`${image} ${context} ${dockerfile}`);
}
