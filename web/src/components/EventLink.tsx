import { href } from '../router';

export function EventLink({ id }: { id: string }) {
  return (
    <a class="mono" href={href('inspector', { q: id })}>
      {id}
    </a>
  );
}
