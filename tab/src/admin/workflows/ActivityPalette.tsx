/** The palette: a menu of every activity the engine knows, by group (voice-only ones marked), to add one to the graph. */
import { Button, Menu, MenuGroup, MenuGroupHeader, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { activityInfo, GROUP_LABEL, paletteGroups } from './activity-catalog';

const GROUPS = paletteGroups();

export function ActivityPalette({ disabled, onAdd }: { disabled: boolean; onAdd(kind: string): void }) {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button disabled={disabled}>Add activity</Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {GROUPS.map((g) => (
            <MenuGroup key={g.group}>
              <MenuGroupHeader>{GROUP_LABEL[g.group]}</MenuGroupHeader>
              {g.kinds.map((kind) => (
                <MenuItem key={kind} onClick={() => onAdd(kind)} title={activityInfo(kind).description}>
                  {activityInfo(kind).label}
                </MenuItem>
              ))}
            </MenuGroup>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
