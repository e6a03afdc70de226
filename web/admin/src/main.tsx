/** Entry point of admin.js: renders the moderation dashboard into the page's #app element. */
import { render } from 'preact';
import { App } from './ui/App.js';
import './styles.css';

function mount(): void {
  const root = document.getElementById('app');
  if (!root) return;
  root.textContent = '';
  render(<App />, root);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
