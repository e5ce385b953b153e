SELECT no, destination_id, platform FROM destination_numbers
