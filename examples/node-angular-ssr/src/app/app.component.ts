import { Component, signal } from '@angular/core';

@Component({
  selector: 'app-root',
  template: `
    <h1>Tasks</h1>
    <ul>
      @for (task of tasks(); track task) {
        <li>{{ task }}</li>
      }
    </ul>
    <button (click)="add()">Add</button>
  `,
})
export class AppComponent {
  readonly tasks = signal(['write the Dockerfile', 'ship it']);

  add(): void {
    this.tasks.update((list) => [...list, `task ${list.length + 1}`]);
  }
}
