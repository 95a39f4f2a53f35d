import { Injectable } from '@nestjs/common';

type Listener = (organizationId: string) => void;

/**
 * Lets features that cache organization-dependent state (the client directory)
 * hear about deletions without organizations depending on them.
 */
@Injectable()
export class OrganizationEvents {
  private readonly deletedListeners: Listener[] = [];

  onOrganizationDeleted(listener: Listener): void {
    this.deletedListeners.push(listener);
  }

  organizationDeleted(organizationId: string): void {
    for (const listener of this.deletedListeners) listener(organizationId);
  }
}
