import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('app')!;
// The "Loading…" placeholder of index.html goes: render adds to what is there.
root.replaceChildren();
render(<App />, root);
