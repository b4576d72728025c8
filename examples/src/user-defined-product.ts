/**
 * A user-defined product: a typed BAM file. Downstream nodes read `.file.path`, `.sorted` and
 * `.reference`, and the compiler checks them.
 */
import { Program, daemonize, dependsOn, singleFile, workflowNode } from '@ketrew/edsl';
import type { Host, Product, SingleFile } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

export interface Bam extends Product {
  readonly kind: 'bam';
  readonly file: SingleFile;
  readonly sorted: boolean;
  readonly reference: string;
}

export function bam(
  path: string,
  options: { readonly sorted: boolean; readonly reference: string; readonly host?: Host },
): Bam {
  const file = singleFile(path, { host: options.host ?? exampleHost });
  return {
    kind: 'bam',
    file,
    sorted: options.sorted,
    reference: options.reference,
    // Done when the file is there and not empty.
    isDone: file.isBiggerThan(1),
    toSpec: () => ({
      kind: 'custom',
      type: 'bam',
      data: { path: file.path, sorted: options.sorted, reference: options.reference },
    }),
  };
}

export const aligned = workflowNode(
  bam('/tmp/KT/bam/sample.bam', { sorted: false, reference: 'GRCh38' }),
  {
    name: 'align sample',
    make: daemonize(
      Program.sh('bwa mem ref.fa r1.fq r2.fq | samtools view -b -o /tmp/KT/bam/sample.bam -'),
      {
        host: exampleHost,
      },
    ),
  },
);

export default workflowNode(
  bam('/tmp/KT/bam/sample.sorted.bam', { sorted: true, reference: aligned.product.reference }),
  {
    name: 'sort sample',
    make: daemonize(
      Program.shf(
        'samtools sort -o %S %S',
        '/tmp/KT/bam/sample.sorted.bam',
        aligned.product.file.path,
      ),
      { host: exampleHost },
    ),
    edges: [dependsOn(aligned)],
  },
);
