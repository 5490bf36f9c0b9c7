// ferry.s3.delete: delete objects and prefixes; the confirmation says how many objects go.
import { FerryError } from '../../core/errors';
import { FerryCommand } from '../types';
import { S3CommandContext, targetNodes } from './context';
import { count } from '../../core/text';
import { ui } from '../../editor/messages';
import { withCancellableProgress } from '../../editor/progress';

export function deleteCommand(ctx: S3CommandContext): FerryCommand {
  return {
    id: 'ferry.s3.delete',
    run: async (arg?: unknown, all?: unknown) => {
      const nodes = targetNodes(ctx, arg, all).filter((n) => n.bucket && n.key);
      if (!nodes.length) throw new FerryError('invalidInput', 'Select objects or folders in the S3 view to delete.');
      const byBucket = new Map<string, Set<string>>();
      await withCancellableProgress({ title: 'Counting objects…' }, async (signal) => {
        for (const n of nodes) {
          const keys = byBucket.get(n.bucket) ?? new Set<string>();
          byBucket.set(n.bucket, keys);
          if (n.key.endsWith('/')) for (const o of await ctx.s3.keysUnder(n.bucket, n.key, signal)) keys.add(o.key);
          else keys.add(n.key);
          if (n.key.endsWith('/')) keys.add(n.key); // the folder marker, if any
        }
      });
      const total = [...byBucket.values()].reduce((sum, s) => sum + [...s].filter((k) => !k.endsWith('/')).length, 0);
      const what = nodes.length === 1 ? `s3://${nodes[0].bucket}/${nodes[0].key}` : `${nodes.length} items`;
      const answer = await ui.warn(
        `Delete ${what}? This deletes ${count(total, 'object')} and cannot be undone.`,
        { modal: true },
        `Delete ${count(total, 'Object')}`,
      );
      if (!answer) return;
      let deleted = 0;
      const errors: string[] = [];
      for (const [bucket, keys] of byBucket) {
        const out = await ctx.s3.deleteKeys(bucket, [...keys]);
        deleted += out.deleted;
        for (const e of out.errors) errors.push(`${e.key}: ${e.message}`);
      }
      ctx.tree.refresh();
      for (const e of errors) ctx.logger.error(`delete failed: ${e}`);
      if (errors.length) throw new FerryError('unknown', `${count(errors.length, 'object')} could not be deleted (first: ${errors[0]})`);
      void ui.info(`Deleted ${count(Math.min(deleted, total), 'object')}.`);
    },
  };
}
